from django.urls import path

from orders.views import export, manager, order_edit, order_pages, place

app_name = "orders"

urlpatterns = [
    path("", manager.manager, name="manager"),
    path("bulk-status/", manager.bulk_status, name="bulk_status"),
    path("export.csv", export.export, name="export"),
    path("chart.svg", export.chart, name="chart"),
    path("chart/", export.chart_table, name="chart_table"),
    path("place/<int:pk>/", place.place, name="place"),
    path("<str:number>/", order_pages.summary, name="summary"),
    path("<str:number>/items/", order_pages.items, name="items"),
    path("<str:number>/payments/", order_pages.payments, name="payments"),
    path("<str:number>/payments/refund/", order_edit.refund, name="refund"),
    path("<str:number>/billing/", order_edit.billing, name="billing"),
    path("<str:number>/status/", order_edit.change_status, name="change_status"),
    path("<str:number>/history/", order_pages.history, name="history"),
    path("<str:number>/notes/", order_edit.add_note, name="add_note"),
    path(
        "<str:number>/notes/<int:note_id>/edit/",
        order_edit.edit_note,
        name="edit_note",
    ),
]
