"""Page views and the distinct user agents they point to.

On PostgreSQL the page view table is range-partitioned by month on
`viewed_at`, so that retention drops whole months instead of deleting rows
one by one. PostgreSQL wants the partition key inside every unique index,
so there the primary key is (id, viewed_at); Django's model keeps `id` as
its primary key, which stays true in practice because ids are made unique
by construction (activity.tracking.new_view_id). A CompositePrimaryKey
would say the same to Django, but would also change `pk` into a tuple for
every query, table and template that touches a view, for no gain.

Django's state gets the model as makemigrations wrote it; the table itself
is made by create_page_view_table: by the schema editor elsewhere, by hand
on PostgreSQL. The DEFAULT partition catches rows whose month has no
partition yet; activity.partitions makes the monthly ones ahead of time.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

PARTITIONED_TABLE = """
CREATE TABLE activity_pageview (
    id bigint NOT NULL,
    viewed_at timestamp with time zone NOT NULL,
    visitor uuid NOT NULL,
    method varchar(10) NOT NULL,
    url varchar(2000) NOT NULL,
    referrer varchar(2000) NOT NULL,
    ip inet NULL,
    status smallint NOT NULL CHECK (status >= 0),
    item_kind varchar(30) NOT NULL,
    item_id bigint NULL,
    item_name varchar(200) NOT NULL,
    item_icon varchar(40) NOT NULL,
    time_on_page_ms integer NULL CHECK (time_on_page_ms >= 0),
    user_id bigint NULL
        CONSTRAINT activity_pageview_user_id_fk
        REFERENCES {user_table} ({user_pk}) DEFERRABLE INITIALLY DEFERRED,
    user_agent_id bigint NULL
        CONSTRAINT activity_pageview_user_agent_id_fk
        REFERENCES activity_useragent (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (id, viewed_at)
) PARTITION BY RANGE (viewed_at)
"""

PARTITIONED_INDEXES = [
    "CREATE INDEX pageview_user_time_idx ON activity_pageview (user_id, viewed_at, id)",
    "CREATE INDEX pageview_visitor_time_idx "
    "ON activity_pageview (visitor, viewed_at, id)",
    # Retention deletes the rows of a month that cannot be dropped whole by
    # time; rows arrive in time order, so a BRIN index serves that at a tiny
    # size. Django does not know of it: it is PostgreSQL's only.
    "CREATE INDEX pageview_time_brin ON activity_pageview USING brin (viewed_at)",
    "CREATE TABLE activity_pageview_default PARTITION OF activity_pageview DEFAULT",
]


def create_page_view_table(apps, schema_editor):
    page_view = apps.get_model("activity", "PageView")
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.create_model(page_view)
        return

    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    quote = schema_editor.quote_name
    schema_editor.execute(
        PARTITIONED_TABLE.format(
            user_table=quote(user_model._meta.db_table),
            user_pk=quote(user_model._meta.pk.column),
        )
    )
    for statement in PARTITIONED_INDEXES:
        schema_editor.execute(statement)


def drop_page_view_table(apps, schema_editor):
    # Dropping a partitioned table drops its partitions with it.
    schema_editor.delete_model(apps.get_model("activity", "PageView"))


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UserAgent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "string",
                    models.CharField(
                        max_length=512, unique=True, verbose_name="user agent"
                    ),
                ),
                (
                    "browser_family",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="browser"
                    ),
                ),
                (
                    "browser_version",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="browser version"
                    ),
                ),
                (
                    "os_family",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="operating system"
                    ),
                ),
                (
                    "os_version",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="OS version"
                    ),
                ),
                (
                    "first_seen_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="first seen"
                    ),
                ),
            ],
            options={
                "verbose_name": "user agent",
                "verbose_name_plural": "user agents",
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PageView",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                editable=False, primary_key=True, serialize=False
                            ),
                        ),
                        ("viewed_at", models.DateTimeField(verbose_name="viewed")),
                        ("visitor", models.UUIDField(verbose_name="visitor")),
                        (
                            "method",
                            models.CharField(max_length=10, verbose_name="method"),
                        ),
                        ("url", models.CharField(max_length=2000, verbose_name="URL")),
                        (
                            "referrer",
                            models.CharField(
                                blank=True, max_length=2000, verbose_name="referrer"
                            ),
                        ),
                        (
                            "ip",
                            models.GenericIPAddressField(
                                blank=True, null=True, verbose_name="IP"
                            ),
                        ),
                        (
                            "status",
                            models.PositiveSmallIntegerField(verbose_name="status"),
                        ),
                        (
                            "item_kind",
                            models.CharField(
                                blank=True, max_length=30, verbose_name="item kind"
                            ),
                        ),
                        (
                            "item_id",
                            models.BigIntegerField(
                                blank=True, null=True, verbose_name="item id"
                            ),
                        ),
                        (
                            "item_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="item"
                            ),
                        ),
                        (
                            "item_icon",
                            models.CharField(
                                blank=True, max_length=40, verbose_name="item icon"
                            ),
                        ),
                        (
                            "time_on_page_ms",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="time on page (ms)"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                db_index=False,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="customer",
                            ),
                        ),
                        (
                            "user_agent",
                            models.ForeignKey(
                                blank=True,
                                db_index=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="activity.useragent",
                                verbose_name="browser",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "page view",
                        "verbose_name_plural": "page views",
                        "indexes": [
                            models.Index(
                                fields=["user", "viewed_at", "id"],
                                name="pageview_user_time_idx",
                            ),
                            models.Index(
                                fields=["visitor", "viewed_at", "id"],
                                name="pageview_visitor_time_idx",
                            ),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(create_page_view_table, drop_page_view_table),
    ]
