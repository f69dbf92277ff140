"""What a shared link shows: the link-preview card of each page (generator/pages/cards.py draws them) and the
"Góp ý / Report a problem" link of task and agency pages.

A card says only what the site says: the printed text, the lead agencies, the printed deadline and
the status of the latest report ("no report yet" until a report is published), never a guess.
"""

from __future__ import annotations

from collections import Counter

from generator.content.labels import KIND_NAMES, LABELS, LANGUAGES, STATUS_NAMES, section
from generator.content.model import Text
from generator.content.procedures import Procedure
from generator.content.site import Site, TaskRef, agency_url, pillar_url, plan_url, task_url
from generator.pages.cards import FILE, Card
from generator.pages.procedure_pages import procedure_url
from generator.pages.task_progress import added_refs, task_view
from generator.pages.text import in_language, plain

PREFIX = {"vi": "", "en": "en/"}
"""Where each language's pages are in the site."""


def _words(text: Text | None, lang: str) -> str:
    """A text on one line, in the language (Vietnamese when not translated)."""
    return " ".join(plain(in_language(text, lang)).split()) if text else ""


def site_card(site: Site, lang: str) -> Card:
    """The card of the pages that have none of their own (home, lists, data, finder …)."""
    t = LABELS[lang]
    plans = ", ".join(f"{_words(site.city_of(p.plan).name, lang)} {p.plan.year}" for p in site.content.plans)
    return Card(t["site_name"], "", t["site_description"], ((t["plans"], plans),) if plans else (), "", lines=3)


def page_cards(site: Site, lang: str, per_pillar: Counter[str] | None = None) -> dict[str, Card]:
    """Every card of one language by its path in the site: `<page>/og.png`, and the language's `og.png`
    (`per_pillar`: the number of tasks of each pillar, when known already)."""
    per_pillar = per_pillar if per_pillar is not None else tasks_per_pillar(site)
    t = LABELS[lang]
    footer = t["site_name"]
    prefix = PREFIX[lang]
    cards = {f"{prefix}{FILE}": site_card(site, lang)}
    added = added_refs(site)
    for item in site.content.plans:
        plan, city = item.plan, site.city_of(item.plan)
        place = f"{_words(city.name, lang)} {plan.year}"
        progress = site.progress[plan.id]
        latest = progress.latest_period
        status = t["no_report"] if latest is None else f"{t['report']} {latest.id}"
        facts: tuple[tuple[str, str], ...] = (
            (t["decision_number"], plan.decision.number),
            (t["task_count"], str(len(item.tasks))),
            (t["status"], status),
        )
        cards[f"{prefix}{plan_url(plan)}{FILE}"] = Card(t["plan"], place, _words(plan.title, lang), facts, footer)
        for task in [*item.tasks, *(r.task for r in added if r.plan.id == plan.id)]:
            ref = TaskRef(plan, task)
            cards[f"{prefix}{task_url(plan, task)}{FILE}"] = _task_card(site, ref, place, lang)
    for pillar in site.content.pillars:
        facts = ((t["task_count"], str(per_pillar[pillar.id])),)
        cards[f"{prefix}{pillar_url(pillar)}{FILE}"] = Card(t["pillar"], "", _words(pillar.name, lang), facts, footer)
    for agency in site.agencies:
        roles = site.by_agency.get(agency.key, {"lead": [], "coordinating": []})
        facts = (
            (t["agency_kind"], KIND_NAMES[lang][agency.agency.kind]),
            (t["lead_tasks"], str(len(roles["lead"]))),
            (t["coordinating_tasks"], str(len(roles["coordinating"]))),
        )
        name = _words(agency.agency.name, lang)
        cards[f"{prefix}{agency_url(agency.city, agency.agency)}{FILE}"] = Card(
            t["agency"], _words(agency.city.name, lang), name, facts, footer
        )
    for procedure in site.content.procedures:
        cards[f"{prefix}{procedure_url(procedure)}{FILE}"] = _procedure_card(procedure, lang, footer)
    return cards


def _task_card(site: Site, ref: TaskRef, place: str, lang: str) -> Card:
    t = LABELS[lang]
    view = task_view(site, ref)
    task = view.current.task  # as amended, as the page shows it
    lead = (
        "; ".join(_words(site.agency(ref.plan.city, a).agency.name, lang) for a in task.lead.agencies)
        if task.lead
        else t["none"]
    )
    deadline = _words(task.deadline.text, lang) if task.deadline else t["no_deadline"]
    status = t["no_report"] if view.latest is None else STATUS_NAMES[lang][view.latest.status]
    facts = ((t["lead"], lead), (t["deadline"], deadline), (t["status"], status))
    return Card(f"{t['task']} {task.number}", place, _words(task.text, lang), facts, t["site_name"])


def _procedure_card(procedure: Procedure, lang: str, footer: str) -> Card:
    words = section("procedures")[lang]
    facts = ((words["steps"], str(len(procedure.steps))), (LABELS[lang]["tasks"], str(len(procedure.related_tasks))))
    return Card(words["procedure"], "", _words(procedure.title, lang), facts, footer)


def tasks_per_pillar(site: Site) -> Counter[str]:
    """How many tasks each pillar has (as `Site.by_pillar` counts them), in one pass over the tasks."""
    return Counter(site.pillar_of(ref).id for ref in site.tasks)


def all_cards(site: Site) -> dict[str, Card]:
    """The cards of both languages."""
    per_pillar = tasks_per_pillar(site)
    return {path: card for lang in LANGUAGES for path, card in page_cards(site, lang, per_pillar).items()}
