"""`manage.py benchmark orders` runs on small data too."""

import pytest

from orders import benchmarks
from tests.factories import OrderFactory


@pytest.mark.django_db
def test_the_benchmark_reports_every_figure_on_a_small_database(monkeypatch):
    monkeypatch.setattr(benchmarks, "RUNS", 1)
    for _ in range(3):
        OrderFactory()
    lines = []

    benchmarks.run(lines.append)

    reported = " | ".join(lines)
    for figure in ("first page of 25", "text search", "exact e-mail", "CSV export"):
        assert figure in reported
