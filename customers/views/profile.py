"""The profile edit page and its account form."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from customers.forms import ProfileAccountForm, TemporaryPasswordForm
from customers.models import CustomerProfile, normalize_email
from customers.permissions import backoffice_required
from customers.sections import render_profile_sections
from customers.selectors import profile_for_edit, profile_summary, saves_since
from customers.services import CustomerError, ProfileConflict, customer_update


@dataclass(frozen=True)
class ChangedField:
    label: str
    value_now: str
    # This admin changed the field too: their input stays in the form.
    yours_kept: bool


@dataclass(frozen=True)
class ConflictDetails:
    actor_label: str
    saved_at: datetime | None
    fields: list[ChangedField]


def shown_value(value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return ", ".join(str(part) for part in value) or "—"
    return str(value) if value not in (None, "") else "—"


def as_recorded(name: str, value):
    """A form value as the history rows hold it."""
    if name == "groups":
        return sorted(group.name for group in value)
    if name == "email":
        return normalize_email(value)
    return value


def put_value(data: QueryDict, name: str, value) -> None:
    if name == "groups":
        data.setlist(name, [str(group.pk) for group in value])
    elif name == "disabled":
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    else:
        data[name] = value


def rebase(
    posted: ProfileAccountForm, current: CustomerProfile, posted_version: int
) -> tuple[QueryDict, ConflictDetails]:
    """This admin's input moved onto the profile as saved now.

    A field the other admin changed and this admin left alone takes the
    saved value; a field both changed keeps this admin's input. The history
    rows written since `posted_version` say what was changed and from what.
    """
    entries = saves_since(current, posted_version)
    loaded: dict[str, object] = {}
    for entry in reversed(entries):
        for name, pair in entry.changes.items():
            if name in ProfileAccountForm.base_fields and name != "version":
                loaded.setdefault(name, pair[0])

    now = ProfileAccountForm.initial_for(current)
    data = posted.data.copy()
    data["version"] = str(current.version)
    fields = []
    for name, field in ProfileAccountForm.base_fields.items():
        if name not in loaded:
            continue
        yours_kept = as_recorded(name, posted.cleaned_data[name]) != loaded[name]
        if not yours_kept:
            put_value(data, name, now[name])
        value_now = shown_value(as_recorded(name, now[name]))
        fields.append(ChangedField(field.label, value_now, yours_kept))

    latest = entries[0] if entries else None
    details = ConflictDetails(
        actor_label=latest.actor_label if latest else _("Another admin"),
        saved_at=latest.created_at if latest else None,
        fields=fields,
    )
    return data, details


def render_profile_page(
    request: HttpRequest,
    profile: CustomerProfile,
    *,
    form: ProfileAccountForm | None = None,
    conflict=None,
) -> HttpResponse:
    context = {
        "profile": profile,
        "summary": profile_summary(profile),
        "form": form or ProfileAccountForm(profile=profile),
        "password_form": TemporaryPasswordForm(auto_id="id_temporary_%s"),
        "conflict": conflict,
        "sections": render_profile_sections(request, profile),
    }
    return render(request, "customers/edit.html", context)


@backoffice_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(profile_for_edit(pk))
    form = ProfileAccountForm(request.POST or None, profile=profile)

    if request.method == "POST" and form.is_valid():
        try:
            customer_update(
                profile=profile, actor=request.user, **form.update_arguments()
            )
        except ProfileConflict:
            return conflict_page(request, form, pk)
        except CustomerError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("customers:edit", pk=profile.pk)

    return render_profile_page(request, profile, form=form)


def conflict_page(
    request: HttpRequest, posted: ProfileAccountForm, pk: int
) -> HttpResponse:
    """The form again, rebased on the profile as saved now, with what changed.

    Its version is the current one, so saving again after reading the
    changes goes through.
    """
    current = get_object_or_404(profile_for_edit(pk))
    data, conflict = rebase(posted, current, posted.cleaned_data["version"])
    form = ProfileAccountForm(data, profile=current)
    form.is_valid()
    # The page draws the conflict itself; the error keeps the form unsaved.
    form.add_error(
        None,
        _("%(who)s saved this profile since you opened it. Nothing was saved.")
        % {"who": conflict.actor_label},
    )
    return render_profile_page(request, current, form=form, conflict=conflict)
