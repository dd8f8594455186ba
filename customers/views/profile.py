"""The profile edit page and its account form."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from customers.forms import ProfileAccountForm, TemporaryPasswordForm
from customers.models import CustomerProfile
from customers.permissions import backoffice_required
from customers.sections import render_profile_sections
from customers.selectors import profile_for_edit, profile_summary, saves_since
from customers.services import CustomerError, ProfileConflict, customer_update


@dataclass(frozen=True)
class ConflictDetails:
    actor_label: str
    saved_at: datetime | None
    fields: list[tuple[str, str]]


def shown_value(value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return ", ".join(str(part) for part in value) or "—"
    return str(value) if value not in (None, "") else "—"


def conflict_details(current: CustomerProfile, posted_version: int) -> ConflictDetails:
    """Who saved since `posted_version` was loaded; each changed field's value now."""
    entries = saves_since(current, posted_version)
    initial = ProfileAccountForm.initial_for(current)
    initial["groups"] = [group.name for group in initial["groups"]]
    names = {name for entry in entries for name in entry.changes} - {"version"}
    fields = [
        (field.label, shown_value(initial[name]))
        for name, field in ProfileAccountForm.base_fields.items()
        if name in names
    ]
    latest = entries[0] if entries else None
    return ConflictDetails(
        actor_label=latest.actor_label if latest else _("Another admin"),
        saved_at=latest.created_at if latest else None,
        fields=fields,
    )


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
            return conflict_page(
                request, pk, posted_version=form.cleaned_data["version"]
            )
        except CustomerError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("customers:edit", pk=profile.pk)

    return render_profile_page(request, profile, form=form)


def conflict_page(
    request: HttpRequest, pk: int, *, posted_version: int
) -> HttpResponse:
    """The form again with this admin's input, against the profile as saved now.

    Its version is the current one, so saving again after reading the
    changes goes through.
    """
    current = get_object_or_404(profile_for_edit(pk))
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = ProfileAccountForm(data, profile=current)
    form.is_valid()
    conflict = conflict_details(current, posted_version)
    form.add_error(
        None,
        _(
            "%(who)s saved this profile since you opened it. Nothing was saved: "
            "check the changes listed above, then Save again."
        )
        % {"who": conflict.actor_label},
    )
    return render_profile_page(request, current, form=form, conflict=conflict)
