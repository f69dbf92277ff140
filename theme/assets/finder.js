// The task finder: Pagefind search with facet filters and sorting. The whole view (query, filters,
// sort) lives in the URL, so it can be shared and bookmarked and the back button works.
// A first search loads only what its results need (Pagefind's index chunks and the shown results'
// fragments): the facets' files and their names (data/labels.json) follow once the results are
// shown, on a wide screen, or when the filters are opened on a phone (scripts/BENCHMARKS.md). The sort
// orders are not in Pagefind's metadata, which every search downloads, but in a file of their own
// (generator/publish/stable_index.py, ORDERS), fetched only when results are shown in an order: the list
// without a query (by number) or an order the reader chose; a search with a query is shown by relevance.
// The landing view (no query, no filter) is drawn without Pagefind's search, which for a search without a
// term downloads every word-index chunk (2.5 MB at 10,000 tasks): its pages are the orders file's, its
// shown results' fragments are fetched and gunzipped here, its facet counts are pagefind.filters()' totals.
(function () {
  "use strict";
  var root = document.getElementById("finder");
  if (!root) return;
  var L = JSON.parse(document.getElementById("finder-labels").textContent);
  var FACETS = ["city", "pillar", "lead", "coordinating", "quarter", "month", "budget", "status"];
  var OPEN = { city: true, pillar: true, quarter: true, budget: true };
  var ROMAN = { 1: "I", 2: "II", 3: "III", 4: "IV" };
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var PAGE_SIZE = 20;
  var siteRoot = new URL(root.getAttribute("data-root"), location.href);
  var form = document.getElementById("finder-form");
  var query = document.getElementById("finder-q");
  var sort = document.getElementById("finder-sort");
  var filtersBox = document.getElementById("finder-filters");
  var toggle = document.getElementById("finder-toggle");
  var active = document.getElementById("finder-active");
  var wide = window.matchMedia("(min-width: 60em)");  // the filters beside the results (site.css)
  var count = document.getElementById("finder-count");
  var list = document.getElementById("finder-list");
  var more = document.getElementById("finder-more");
  var pagefind = null;
  var names = { city: {}, pillar: {}, agency: {} };
  var facetValues = null;  // every value of every facet, once loaded
  var loadingFilters = null;
  var orders = null;  // once asked for: each order's pages (lists) and position of every page (at), by result id
  var current = null;  // the state whose results are shown
  var busy = Promise.resolve();
  var results = [];
  var shown = 0;
  var generation = 0;
  var typing = null;

  function readState() {
    var params = new URLSearchParams(location.search);
    var filters = {};
    FACETS.forEach(function (facet) { filters[facet] = params.getAll(facet); });
    return { q: params.get("q") || "", sort: params.get("sort") || "", filters: filters };
  }

  function stateURL(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.sort) params.set("sort", state.sort);
    FACETS.forEach(function (facet) {
      state.filters[facet].forEach(function (value) { params.append(facet, value); });
    });
    var text = params.toString();
    return location.pathname + (text ? "?" + text : "");
  }

  function formState() {
    var filters = {};
    FACETS.forEach(function (facet) { filters[facet] = []; });
    filtersBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      filters[box.name].push(box.value);
    });
    return { q: query.value.trim(), sort: sort.value, filters: filters };
  }

  function name(table, value) {
    var entry = names[table][value];
    return entry ? (L.lang === "en" && entry.en) || entry.vi : value;
  }

  function label(facet, value) {
    if (value === "none") return facet === "status" ? L.values["status:none"] : L.values.none;
    if (facet === "city" || facet === "pillar") return name(facet, value);
    if (facet === "lead" || facet === "coordinating") return name("agency", value);
    if (value === "ongoing" || value === "conditional") return L.values[value];
    if (facet === "quarter") {
      var q = value.split("-Q");
      return L.lang === "vi" ? "Quý " + ROMAN[q[1]] + "/" + q[0] : "Q" + q[1] + " " + q[0];
    }
    if (facet === "month") {
      var m = value.split("-");
      return L.lang === "vi" ? "Tháng " + Number(m[1]) + "/" + m[0] : MONTHS[Number(m[1]) - 1] + " " + m[0];
    }
    return L.values[value] || value;
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function drawFilters(state, available, counts) {
    filtersBox.textContent = "";
    FACETS.forEach(function (facet) {
      var values = Object.keys(available[facet] || {});
      if (!values.length) return;
      values.sort(function (a, b) {
        var numeric = facet === "quarter" || facet === "month";
        return numeric ? a.localeCompare(b) : label(facet, a).localeCompare(label(facet, b), L.lang);
      });
      var chosen = state.filters[facet];
      var details = element("details", { "class": "finder-facet" });
      if (OPEN[facet] || chosen.length) details.open = true;
      details.appendChild(element("summary", {}, L.facets[facet] + (chosen.length ? " (" + chosen.length + ")" : "")));
      var fieldset = element("fieldset");
      fieldset.appendChild(element("legend", { "class": "visually-hidden" }, L.facets[facet]));
      values.forEach(function (value, index) {
        var id = "f-" + facet + "-" + index;
        var box = element("input", { type: "checkbox", id: id, name: facet, value: value });
        box.checked = chosen.indexOf(value) !== -1;
        var n = (counts[facet] || {})[value] || 0;
        var row = element("div", { "class": "finder-option" + (n || box.checked ? "" : " finder-option--empty") });
        row.appendChild(box);
        row.appendChild(element("label", { "for": id }, label(facet, value) + " (" + n + ")"));
        fieldset.appendChild(row);
      });
      details.appendChild(fieldset);
      filtersBox.appendChild(details);
    });
    var any = FACETS.some(function (facet) { return state.filters[facet].length; });
    if (any) {
      var clear = element("button", { type: "button", "class": "md-button finder-clear" }, L.clear);
      clear.addEventListener("click", function () {
        filtersBox.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
        update(true);
      });
      filtersBox.appendChild(clear);
    }
  }

  function drawResults(items) {
    items.forEach(function (data) {
      var meta = data.meta || {};
      var item = element("li", { "class": "finder-result" });
      var heading = element("p", { "class": "finder-result__title" });
      heading.appendChild(element("a", { href: data.url }, (meta.city || "") + " " + (meta.number || "")));
      item.appendChild(heading);
      item.appendChild(element("p", { "class": "finder-result__text" }, meta.text || data.excerpt || ""));
      var facts = element("p", { "class": "finder-result__facts" });
      facts.appendChild(element("span", {}, L.lead + ": " + (meta.lead || "")));
      facts.appendChild(document.createTextNode(" · "));
      facts.appendChild(element("span", {}, L.deadline + ": " + (meta.deadline || "")));
      item.appendChild(facts);
      list.appendChild(item);
    });
  }

  function showMore() {
    var mine = generation;
    var next = results.slice(shown, shown + PAGE_SIZE);
    shown += next.length;
    more.hidden = shown >= results.length;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (items) {
      if (mine === generation) drawResults(items);
    });
  }

  // One Pagefind call at a time: calls made at the same time disturb each other's counts.
  function serial(call) {
    var next = busy.then(call);
    busy = next.catch(function () {});
    return next;
  }

  function searchOptions(state) {
    var filters = {};  // only task pages are indexed
    FACETS.forEach(function (facet) {
      if (state.filters[facet].length) filters[facet] = { any: state.filters[facet] };
    });
    return { filters: filters };
  }

  function loadOrders() {
    if (!orders) {
      orders = fetch(new URL("pagefind/orders." + L.lang + ".json", siteRoot).href).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (lists) {
        var positions = {};
        Object.keys(lists).forEach(function (name) {
          var at = Object.create(null);
          lists[name].forEach(function (id, position) { at[id] = position; });
          positions[name] = at;
        });
        return { lists: lists, at: positions };
      });
      orders.catch(function () { orders = null; });  // asked again next time
    }
    return orders;
  }

  // The results in the state's order: by relevance (as Pagefind gives them) for a query, unless the
  // reader chose an order; without a query, by number. A page missing from an order comes last.
  function ordered(state, found) {
    var order = state.sort || (state.q ? "" : "number");
    if (!order) return Promise.resolve(found);
    return loadOrders().then(function (loaded) {
      var at = loaded.at[order];
      if (!at) return found;
      var last = found.length;
      function place(result) { return result.id in at ? at[result.id] : last; }
      return found.slice().sort(function (a, b) { return place(a) - place(b); });
    });
  }

  // The landing view: no query and no filter. Drawn without Pagefind's search where the browser can
  // gunzip (DecompressionStream); elsewhere Pagefind's search draws it, as any other view.
  function landing(state) {
    return !state.q && typeof DecompressionStream === "function" &&
      !FACETS.some(function (facet) { return state.filters[facet].length; });
  }

  var SIGNATURE = "pagefind_dcd";  // what a Pagefind file starts with once gunzipped (pagefind.js, decompress)

  function signed(bytes) {
    return new TextDecoder().decode(bytes.subarray(0, SIGNATURE.length)) === SIGNATURE;
  }

  // A result's URL as Pagefind's data() gives it under the finder's baseUrl (pagefind.js, fullUrl).
  function fullUrl(raw) {
    if (/^(https?:)?\/\//.test(raw)) return raw;
    return (siteRoot.pathname + "/" + raw).replace(/\/+/g, "/");
  }

  // A page's fragment as Pagefind's data() gives the fields the finder shows (url, meta, excerpt): the
  // file is gzip of the signature and JSON; a server that sent it with Content-Encoding has gunzipped it.
  function fragment(id) {
    return fetch(new URL("pagefind/fragment/" + id + ".pf_fragment", siteRoot).href).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.arrayBuffer();
    }).then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (signed(bytes)) return bytes;
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).arrayBuffer().then(function (plain) { return new Uint8Array(plain); });
    }).then(function (bytes) {
      if (!signed(bytes)) throw new Error("fragment " + id + ": not a Pagefind fragment");
      var data = JSON.parse(new TextDecoder().decode(bytes.subarray(SIGNATURE.length)));
      data.url = fullUrl(data.url);
      // Without a query, Pagefind's excerpt is the content's first 30 words (its excerptLength).
      data.excerpt = (data.content || "").split(/[\r\n\s]+/g).slice(0, 30).join(" ").trim();
      return data;
    });
  }

  // The results of a state as Pagefind's search gives them ({results, filters}); for the landing view,
  // every page of the `number` order, each with an id and data() as Pagefind's, and the facets' totals.
  function find(state) {
    function search() {
      return serial(function () { return pagefind.search(state.q || null, searchOptions(state)); });
    }
    if (!landing(state)) return search();
    return loadOrders().then(function (loaded) {
      if (!loaded.lists.number) return search();  // an index without the order: Pagefind's way
      return {
        results: loaded.lists.number.map(function (id) {
          var data = null;
          return { id: id, data: function () { return data || (data = fragment(id)); } };
        }),
        totals: true
      };
    });
  }

  function counted(outcome) {
    return outcome.totals ? facetValues : outcome.filters || {};
  }

  function countActive(state) {
    var n = 0;
    FACETS.forEach(function (facet) { n += state.filters[facet].length; });
    active.textContent = n ? " (" + n + ")" : "";
  }

  function filtersWanted() {
    return wide.matches || toggle.getAttribute("aria-expanded") === "true";
  }

  // Pagefind counts a facet's values only once that facet's file is loaded: the files and the names
  // are loaded once, then the shown search is counted again (its index chunks are loaded by then).
  function drawCounts() {
    if (!loadingFilters) {
      filtersBox.textContent = L.loading;
      var labels = fetch(new URL("data/labels.json", siteRoot).href).then(function (r) { return r.json(); });
      loadingFilters = Promise.all([serial(function () { return pagefind.filters(); }), labels]).then(function (loaded) {
        facetValues = loaded[0];
        names = loaded[1];
      });
    }
    var state = current;
    return loadingFilters.then(function () {
      if (landing(state)) return { totals: true };  // the counts are the totals: no search
      return serial(function () { return pagefind.search(state.q || null, searchOptions(state)); });
    }).then(function (outcome) {
      if (state === current) drawFilters(state, facetValues, counted(outcome));
    });
  }

  function search(state) {
    var mine = ++generation;
    countActive(state);
    count.textContent = L.loading;
    var outcome = null;
    return find(state).then(function (found) {
      outcome = found;
      return mine === generation ? ordered(state, found.results) : null;
    }).then(function (sorted) {
      if (mine !== generation) return;
      current = state;
      results = sorted;
      shown = 0;
      list.textContent = "";
      count.textContent = results.length === 0 ? L.none_found
        : results.length === 1 ? L.count_one : L.count.replace("{n}", results.length);
      if (facetValues) drawFilters(state, facetValues, counted(outcome));
      var drawn = showMore();
      if (!facetValues && filtersWanted()) drawn.then(function () { show(); return drawCounts(); }).catch(failed);
      return drawn;
    });
  }

  function apply(state) {
    query.value = state.q;
    sort.value = state.sort;
    return search(state);
  }

  function update(push) {
    var state = formState();
    var url = stateURL(state);
    if (url !== location.pathname + location.search) {
      history[push ? "pushState" : "replaceState"](null, "", url);
    }
    return search(state);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); update(true); });
  query.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { update(false); }, 250);
  });
  sort.addEventListener("change", function () { update(true); });
  filtersBox.addEventListener("change", function (event) {
    if (event.target.type === "checkbox") update(true);
  });
  more.addEventListener("click", function () { showMore(); });
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    filtersBox.classList.toggle("finder-filters--open", open);
    if (open && !facetValues && current) drawCounts().catch(failed);
  });
  wide.addEventListener("change", function () {
    if (wide.matches && !facetValues && current) drawCounts().catch(failed);
  });
  window.addEventListener("popstate", function () { apply(readState()); });

  // The finder is shown once its first results are drawn. The filters drawn later do not move them:
  // on a wide screen they fill their own column, on a phone they stay closed behind the button.
  function show() { root.hidden = false; }
  function failed() { count.textContent = L.error; show(); }
  var index = new URL("pagefind/pagefind.js", siteRoot).href;
  import(index).then(function (loaded) {
    pagefind = loaded;
    // Result URLs are relative to where the site is deployed, which may be a sub-folder.
    return pagefind.options({ baseUrl: siteRoot.pathname });
  }).then(function () {
    return apply(readState());
  }).then(show, failed);
})();
