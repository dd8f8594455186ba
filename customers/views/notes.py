from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers.forms import NoteForm
from customers.models import CustomerProfile
from customers.permissions import backoffice_required
from customers.services import CustomerError, customer_note_add


@backoffice_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(CustomerProfile, pk=pk)
    form = NoteForm(request.POST)

    if form.is_valid():
        try:
            customer_note_add(
                profile=profile, author=request.user, body=form.cleaned_data["body"]
            )
        except CustomerError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The note was added."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(reverse("customers:edit", args=[pk]) + "#notes")
