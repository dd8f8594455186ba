from django.contrib.auth.models import Group
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from customers.models import CustomerProfile
from customers.permissions import backoffice_required


@backoffice_required
def users(request):
    profiles = CustomerProfile.objects.select_related("user").order_by("-created_at")
    return render(request, "customers/users.html", {"profiles": profiles[:25]})


@backoffice_required
def edit(request, pk):
    profile = get_object_or_404(CustomerProfile.objects.select_related("user"), pk=pk)
    return render(request, "customers/edit.html", {"profile": profile})


@backoffice_required
def groups(request):
    all_groups = Group.objects.annotate(member_count=Count("user")).order_by("name")
    return render(request, "customers/groups.html", {"groups": all_groups})
