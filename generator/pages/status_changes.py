"""A task's reported status change in words: "Nhiệm vụ 3.d: Đang thực hiện → Hoàn thành (báo cáo của Sở Nội vụ,
kỳ 2021-Q2)", for the what's-new page and the Atom feeds."""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.history import StatusChange
from generator.content.labels import LABELS, STATUS_NAMES, section
from generator.content.model import Plan
from generator.content.site import Site, TaskRef
from generator.pages.text import in_language, plain, shorten

WORDS: dict[str, dict[str, str]] = section("progress_data")
LONGEST = 60  # characters of a status as typed in a past revision (a valid one is a word or two)


@dataclass(frozen=True)
class StatusText:
    """A status change as pages and feeds show it."""

    plan: Plan | None
    """The plan, None when it is no longer published."""
    ref: TaskRef | None
    """The task as published now, for a link; None when it is no longer in the plan or was added by an amendment."""
    task: str
    """'Nhiệm vụ 3.d' / 'Task 3.d'."""
    before: str
    after: str
    source: str
    """'báo cáo của Sở Nội vụ, kỳ 2021-Q2' / 'report of the Department of Home Affairs, period 2021-Q2'."""

    @property
    def line(self) -> str:
        """The whole change in one line."""
        return f"{self.task}: {self.before} → {self.after} ({self.source})"


def status_name(status: str | None, lang: str) -> str:
    """A status in words; a status no longer allowed is shown as typed, shortened; none is 'not reported'."""
    if status is None:
        return STATUS_NAMES[lang]["not_reported"]
    return STATUS_NAMES[lang].get(status) or shorten(plain(status), LONGEST)


def status_text(site: Site, change: StatusChange, lang: str) -> StatusText:
    """Name the task, the statuses and the report of a status change in `lang`."""
    ref = site.task_by_key.get(change.key)
    progress = site.progress.get(change.plan)
    current = progress.latest.get(change.task) if progress else None
    number = ref.task.number if ref else current.task.number if current else change.task
    agency = change.agency
    if progress is not None:
        found = next((a for a in progress.city.agencies if a.id == change.agency), None)
        agency = in_language(found.name, lang) if found else change.agency
    source = WORDS[lang]["status_source"].format(agency=agency, period=change.period)
    return StatusText(
        progress.plan if progress else None,
        ref,
        f"{LABELS[lang]['task']} {number}",
        status_name(change.before, lang),
        status_name(change.after, lang),
        source,
    )
