"""The profile page sections the customers app contributes itself."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from customers.forms import NoteForm, ProfileAccountForm
from customers.models import CustomerProfile
from customers.sections import register_profile_section
from customers.selectors import customer_notes, profile_history
from customers.views.profile import shown_value

ACTION_LABELS = {
    "customers.email.changed": _("E-mail changed"),
    "customers.profile.changed": _("Name or phone changed"),
    "customers.billing_address.changed": _("Billing address changed"),
    "customers.groups.changed": _("Groups changed"),
    "customers.account.disabled": _("Account disabled"),
    "customers.account.enabled": _("Account enabled"),
    "customers.password.reset_sent": _("Password reset e-mail sent"),
    "customers.password.temporary_set": _("Temporary password set"),
    "customers.card.added": _("Card added"),
    "customers.card.removed": _("Card removed"),
    "customers.card.default_changed": _("Default card changed"),
    "customers.note.added": _("Note added"),
}

FIELD_LABELS = {
    **{name: field.label for name, field in ProfileAccountForm.base_fields.items()},
    "card": _("Card"),
    "default_card": _("Default card"),
}

FIELD_ORDER = {name: position for position, name in enumerate(FIELD_LABELS)}


def history_context(request: HttpRequest, profile: CustomerProfile) -> dict[str, Any]:
    rows = []
    for entry in profile_history(profile):
        pairs = [
            (name, pair)
            for name, pair in entry.changes.items()
            if name != "version" and isinstance(pair, list) and len(pair) == 2
        ]
        # JSON keys come back in any order; show them in the form's order.
        pairs.sort(key=lambda item: FIELD_ORDER.get(item[0], len(FIELD_ORDER)))
        changes = [
            (FIELD_LABELS.get(name, name), shown_value(before), shown_value(after))
            for name, (before, after) in pairs
        ]
        rows.append(
            {
                "entry": entry,
                "label": ACTION_LABELS.get(entry.action, entry.action),
                "changes": changes,
            }
        )
    return {"rows": rows}


def notes_context(request: HttpRequest, profile: CustomerProfile) -> dict[str, Any]:
    return {"notes": customer_notes(profile), "form": NoteForm(auto_id="id_note_%s")}


def register() -> None:
    register_profile_section(
        "notes",
        template="customers/_profile_notes.html",
        order=60,
        context=notes_context,
    )
    register_profile_section(
        "history",
        template="customers/_profile_history.html",
        order=70,
        context=history_context,
    )
