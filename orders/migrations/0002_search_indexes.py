"""Trigram index for the Order Manager's substring search, on PostgreSQL only.

SQLite has no trigram index; its LIKE scan stays correct, only slower.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS order_search_trgm_idx "
    "ON orders_order USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS order_search_trgm_idx"]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
