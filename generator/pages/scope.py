"""Which pages an edit of content can change, so that the live preview (`serve`) renders only those again.

The site's pages fall in three kinds:
- a plan's own pages, under ke-hoach/<plan>/ (the plan, its source text, amendment log, progress pages
  and task pages): they show that plan only, with its city's agencies and the reform areas;
- a city's agency pages, under co-quan/<city>/<agency>/: they list the tasks of that city's plans;
- the rest (home, indexes, reform areas, deadlines, finder, open data, procedures, what's new): they
  list every plan's tasks, and are always rendered again.

An edit under one plan's folder changes that plan's pages, its city's agency pages and the rest, and no
other plan's or city's pages: `Scope` names those. An edit of anything else (reform areas, cities,
procedures, which plans there are) can change any page: `scope_of_change` then returns None (all).
tests/test_preview.py checks, edit by edit, that a scoped render gives exactly what a full one does.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.model import Content, PlanContent
from generator.content.site import AGENCIES_URL, PLANS_URL


@dataclass(frozen=True)
class Scope:
    """The plans and cities whose pages are rendered again, beside the pages of the third kind."""

    plans: frozenset[str]
    cities: frozenset[str]

    def __contains__(self, url: str) -> bool:
        """Whether the page at `url` (a site-relative directory URL) is rendered again."""
        for section, names in ((PLANS_URL, self.plans), (AGENCIES_URL, self.cities)):
            if url.startswith(section):
                first, slash, _ = url.removeprefix(section).partition("/")
                return not slash or first in names  # the section's own index is of the third kind
        return True


def _same(before: PlanContent, after: PlanContent) -> bool:
    return before is after or before == after  # the same object when `check` reused it (PlanMemo)


def scope_of_change(before: Content, after: Content) -> Scope | None:
    """The pages that differ between `before` and `after` lie in the scope returned; None: any may."""
    if (before.pillars, before.cities, before.procedures) != (after.pillars, after.cities, after.procedures):
        return None
    old = {item.plan.id: item for item in before.plans}
    new = {item.plan.id: item for item in after.plans}
    if list(old) != list(new):  # a plan added, removed or moved: every index and sort key changes
        return None
    changed = {plan for plan in new if not _same(old[plan], new[plan])}
    cities = {index[plan].plan.city for plan in changed for index in (old, new)}
    return Scope(frozenset(changed), frozenset(cities))
