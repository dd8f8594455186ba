"""The sections of the profile edit page, contributed by the apps.

`customers` draws the account form itself; every other section is
registered by the app that owns its data when that app loads, so
`customers` never imports an app that stands above it. A section is a
template plus a function giving its context; the page includes them in
`order`, lowest first.

Slots in use: 20 saved cards, 30 current baskets, 40 place an order,
50 order history, 60 notes, 70 history, 80 recent page views.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

SectionContext = Callable[[HttpRequest, Any], dict[str, Any]]


@dataclass(frozen=True)
class ProfileSection:
    name: str
    template: str
    order: int
    context: SectionContext


_sections: dict[str, ProfileSection] = {}


def register_profile_section(
    name: str, *, template: str, order: int, context: SectionContext
) -> None:
    """Add a section to the profile edit page; registering a name again replaces it."""
    _sections[name] = ProfileSection(name, template, order, context)


def profile_sections() -> list[ProfileSection]:
    return sorted(_sections.values(), key=lambda section: section.order)


def render_profile_sections(request: HttpRequest, profile) -> list[dict[str, Any]]:
    """Each section's template and context, ready for `{% include %}`."""
    return [
        {
            "name": section.name,
            "template": section.template,
            "context": section.context(request, profile),
        }
        for section in profile_sections()
    ]
