"""People > Groups: list, create, rename, describe and delete groups."""

from django.contrib import messages
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from customers import services
from customers.forms import GroupForm
from customers.permissions import STORE_ADMIN_GROUP, backoffice_required
from customers.selectors import groups_with_member_counts
from customers.services import CustomerError


def render_groups(request: HttpRequest, form: GroupForm) -> HttpResponse:
    context = {
        "groups": groups_with_member_counts(),
        "form": form,
        "store_admin_group": STORE_ADMIN_GROUP,
    }
    return render(request, "customers/groups.html", context)


@backoffice_required
def groups(request: HttpRequest) -> HttpResponse:
    return render_groups(request, GroupForm())


@backoffice_required
@require_POST
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST)

    if form.is_valid():
        try:
            group = services.group_create(actor=request.user, **form.cleaned_data)
        except CustomerError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request, _("The group %(name)s was created.") % {"name": group.name}
            )
            return redirect("customers:groups")
    return render_groups(request, form)


@backoffice_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group.objects.select_related("details"), pk=pk)
    description = getattr(getattr(group, "details", None), "description", "")
    form = GroupForm(
        request.POST or None, initial={"name": group.name, "description": description}
    )

    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(group=group, actor=request.user, **form.cleaned_data)
        except CustomerError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The group was saved."))
            return redirect("customers:groups")

    context = {"group": group, "form": form, "store_admin_group": STORE_ADMIN_GROUP}
    return render(request, "customers/group_edit.html", context)


@backoffice_required
@require_http_methods(["GET", "POST"])
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    group = get_object_or_404(groups_with_member_counts(), pk=pk)

    if request.method == "POST":
        try:
            services.group_delete(group=group, actor=request.user)
        except CustomerError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The group %(name)s was deleted.") % {"name": group.name}
            )
        return redirect("customers:groups")

    context = {"group": group, "store_admin_group": STORE_ADMIN_GROUP}
    return render(request, "customers/group_delete.html", context)
