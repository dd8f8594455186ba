"""Finer statistics on the orders' search text, on PostgreSQL only.

With the default sample, the planner guesses that two common words ("ava
garcia") match many orders together and walks the newest-first index; with
a larger sample it sees how rare the pair is and uses the trigram index.
"""

from django.db import migrations

RAISE = "ALTER TABLE orders_order ALTER COLUMN search_text SET STATISTICS 1000"
RESET = "ALTER TABLE orders_order ALTER COLUMN search_text SET STATISTICS -1"


def run_on_postgresql(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_search_indexes")]

    operations = [
        migrations.RunPython(run_on_postgresql(RAISE), run_on_postgresql(RESET)),
    ]
