"""The "Góp ý / Report a problem" link a city's task and agency pages carry (content: a city's `feedback`)."""

from __future__ import annotations

from urllib.parse import quote

from generator.content.model import City


def feedback_href(city: City, subject: str) -> str | None:
    """The "Góp ý / Report a problem" link of a city's pages, or None when the city names no channel.

    An e-mail address opens a message whose subject names what is reported (`subject`: the task's or
    agency's id and its address), URL-encoded; a portal address is linked as it is.
    """
    if city.feedback is None:
        return None
    if city.feedback.email:
        return f"mailto:{city.feedback.email}?subject={quote(subject, safe='')}"
    return city.feedback.url
