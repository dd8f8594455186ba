from django.shortcuts import get_object_or_404, render

from customers.permissions import backoffice_required
from orders.models import Order


@backoffice_required
def manager(request):
    orders = Order.objects.select_related("customer__user")[:25]
    return render(request, "orders/manager.html", {"orders": orders})


@backoffice_required
def summary(request, number):
    order = get_object_or_404(
        Order.objects.select_related("customer__user", "placed_by"), number=number
    )
    return render(request, "orders/summary.html", {"order": order})
