"""prune_page_views, erase_customer_activity and the monthly partitions."""

import uuid
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from activity import partitions
from activity.history import history_for
from activity.models import PageView
from tests.factories import CustomerFactory, PageViewFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Partitions exist on PostgreSQL only; elsewhere the table is plain.",
)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def test_prune_removes_views_older_than_the_given_days():
    PageViewFactory(viewed_at=days_ago(40))
    kept = PageViewFactory(viewed_at=days_ago(10))

    run("prune_page_views", "--older-than", "30")

    assert list(PageView.objects.all()) == [kept]


def test_prune_ends_with_a_summary_line():
    PageViewFactory(viewed_at=days_ago(40))

    output = run("prune_page_views", "--older-than", "30")

    assert output.startswith("Removed 1 page views older than 30 days")


def test_prune_deletes_in_batches():
    for days in (40, 41, 42, 43, 44):
        PageViewFactory(viewed_at=days_ago(days))

    output = run("prune_page_views", "--older-than", "30", "--batch-size", "2")

    assert not PageView.objects.exists()
    assert "Removed 5 page views" in output


def test_a_dry_run_counts_and_removes_nothing():
    PageViewFactory(viewed_at=days_ago(40))

    output = run("prune_page_views", "--older-than", "30", "--dry-run")

    assert output.startswith("Would remove 1 page views")
    assert PageView.objects.count() == 1


def test_prune_defaults_to_the_retention_setting(settings):
    settings.ACTIVITY_RETENTION_DAYS = 5
    PageViewFactory(viewed_at=days_ago(6))

    run("prune_page_views")

    assert not PageView.objects.exists()


@pytest.mark.parametrize("days", ["0", "-3"])
def test_prune_refuses_a_non_positive_age(days):
    with pytest.raises(CommandError):
        call_command("prune_page_views", "--older-than", days, stdout=StringIO())


def test_erase_deletes_the_customers_views_and_their_browsers_anonymous_ones():
    customer = CustomerFactory(user__email="family@example.com")
    browser = uuid.uuid4()
    PageViewFactory(user=customer.user, visitor=browser)
    PageViewFactory(visitor=browser)
    other = PageViewFactory(user=CustomerFactory().user)
    stranger = PageViewFactory()

    output = run("erase_customer_activity", "Family@Example.com")

    assert set(PageView.objects.all()) == {other, stranger}
    assert output == "Deleted 2 page views of family@example.com.\n"


def test_erase_records_a_history_row_for_the_command():
    customer = CustomerFactory(user__email="family@example.com")
    PageViewFactory(user=customer.user)

    run("erase_customer_activity", "family@example.com")

    entry = history_for(customer.user).get()
    assert entry.action == "activity.page_views.erased"
    assert entry.actor_label == "command: erase_customer_activity"
    assert entry.changes == {"page_views": [1, 0]}


def test_an_erase_dry_run_counts_and_deletes_nothing():
    customer = CustomerFactory(user__email="family@example.com")
    PageViewFactory(user=customer.user)

    output = run("erase_customer_activity", "family@example.com", "--dry-run")

    assert output == "Would delete 1 page views of family@example.com.\n"
    assert PageView.objects.count() == 1
    assert not history_for(customer.user).exists()


def test_erase_refuses_an_unknown_address():
    with pytest.raises(CommandError, match="nobody@example.com"):
        call_command("erase_customer_activity", "nobody@example.com", stdout=StringIO())


@postgresql_only
def test_the_table_is_partitioned_by_month_with_next_months_partition_ready():
    partitions.page_view_partitions_ensure()

    names = {partition.name for partition in partitions.page_view_partitions()}

    this_month = partitions.month_start(timezone.now().date())
    assert partitions.partition_name(this_month) in names
    assert partitions.partition_name(partitions.add_months(this_month, 1)) in names


@postgresql_only
def test_a_new_partition_takes_its_months_rows_from_the_default_partition():
    old = PageViewFactory(viewed_at=datetime(2024, 3, 15, tzinfo=UTC))

    assert partitions.page_view_partition_create(date(2024, 3, 1))

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM activity_pageview_y2024m03")
        assert cursor.fetchall() == [(old.pk,)]
    assert PageView.objects.get().pk == old.pk


@postgresql_only
# Committed rows, as in real use: PostgreSQL will not drop a table whose
# rows have foreign key checks pending in the same transaction.
@pytest.mark.django_db(transaction=True)
def test_prune_drops_whole_partitions_before_the_cutoff():
    partitions.page_view_partitions_ensure(
        first=date(2024, 1, 1), last=date(2024, 2, 1)
    )
    PageViewFactory(viewed_at=datetime(2024, 1, 10, tzinfo=UTC))
    PageViewFactory(viewed_at=datetime(2024, 2, 10, tzinfo=UTC))
    kept = PageViewFactory()

    output = run("prune_page_views", "--older-than", "30")

    names = {partition.name for partition in partitions.page_view_partitions()}
    assert "activity_pageview_y2024m01" not in names
    assert list(PageView.objects.all()) == [kept]
    assert "2 monthly partitions (2 views) dropped" in output


@postgresql_only
def test_the_orm_reads_and_updates_across_partitions():
    partitions.page_view_partitions_ensure(
        first=date(2024, 5, 1), last=date(2024, 5, 1)
    )
    old = PageViewFactory(viewed_at=datetime(2024, 5, 2, tzinfo=UTC))
    new = PageViewFactory()

    PageView.objects.filter(pk__in=[old.pk, new.pk]).update(method="POST")

    assert list(PageView.objects.order_by("viewed_at")) == [old, new]
    assert set(PageView.objects.values_list("method", flat=True)) == {"POST"}
