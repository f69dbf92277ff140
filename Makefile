# The two commands a newcomer needs: `make site` builds the whole site, `make test` runs every test.
# Both create .venv from the pinned requirements.lock the first time.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.lock | cut -d' ' -f1)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Node tools of the quality gates (axe-core, Lighthouse, the Nu HTML Checker), pinned by package-lock.json.
TOOLS := tests/tools
TOOLS_STAMP := $(TOOLS)/node_modules/.installed-$(shell cksum $(TOOLS)/package-lock.json | cut -d' ' -f1)

.PHONY: site test check serve chromium tools office lint clean

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

site: $(STAMP)  ## Build the whole site, search index included, into site/.
	$(BIN)/python -m generator build

check: $(STAMP)  ## Validate content/ only.
	$(BIN)/python -m generator check

serve: $(STAMP)  ## Preview on http://127.0.0.1:8000/ with live reload.
	$(BIN)/python -m generator serve

# The fonts a reader's browser falls back to, which the diagram tests set the labels in.
READER_FONTS := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf

chromium:  ## Debian's Chromium and common fonts for the browser tests (Playwright never downloads a browser here).
	@command -v chromium >/dev/null && ls $(READER_FONTS) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq chromium fonts-dejavu-core fonts-liberation; }

# --ignore-scripts: vnu-jar's install script would download a Java runtime; Debian's is used instead.
$(TOOLS_STAMP): $(TOOLS)/package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }
	cd $(TOOLS) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(TOOLS_STAMP)

tools: $(TOOLS_STAMP)  ## Quality-gate tools: the pinned Node packages, and Java for the HTML checker.
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq default-jre-headless; }

office:  ## LibreOffice without a display, to open report forms and compiled reports as offices' software does.
	@command -v soffice >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq libreoffice-calc-nogui libreoffice-writer-nogui; }

lint: $(STAMP)
	$(BIN)/ruff check generator tests scripts
	$(BIN)/ruff format --check generator tests scripts
	$(BIN)/mypy

test: $(STAMP) chromium tools office lint  ## Run the whole test suite, browser tests included.
	$(BIN)/python -m generator check --strict
	$(BIN)/pytest

clean:
	rm -rf site site.old .site.build-* .pytest_cache .mypy_cache .ruff_cache
