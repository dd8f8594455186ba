"""Demo data for `manage.py seed_demo`: a small, named store plus bulk volume.

Everything here is idempotent: named records are found by their natural key
and updated, bulk records are numbered and only the missing ones are made.
"""

import random
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from customers.models import CustomerProfile, GroupDetails, User
from customers.permissions import STORE_ADMIN_GROUP
from orders.models import (
    ORDER_NUMBER_ALPHABET,
    Basket,
    BasketLine,
    CatalogItem,
    ItemKind,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
)

DEMO_ADMIN = ("admin@school.example", "demo-admin-pass")
DEMO_SHOPPER = ("parent@school.example", "demo-shopper-pass")
BULK_DOMAIN = "bulk.school.example"
# Real numbers never contain U, so bulk numbers can never collide with them.
BULK_ORDER_PREFIX = "U"

GROUPS = {
    "Grade 5": "Students in fifth grade and their families.",
    "Band": "Members of the school band.",
    "PTA Members": "Families who joined the parent-teacher association.",
}

CATALOG = [
    ("School T-shirt", ItemKind.PRODUCT, "12.50", None, None),
    ("Yearbook 2027", ItemKind.PRODUCT, "35.00", None, None),
    ("Lab fee, Grade 5", ItemKind.FEE, "20.00", "Grade 5", None),
    ("Field trip fee", ItemKind.FEE, "15.00", None, None),
    ("Spring concert ticket", ItemKind.EVENT_TICKET, "8.00", None, None),
    ("Band uniform rental", ItemKind.FEE, "40.00", "Band", None),
    ("Library fund donation", ItemKind.DONATION, "25.00", None, None),
    ("PTA membership", ItemKind.GROUP_MEMBERSHIP, "10.00", None, "PTA Members"),
]

FIRST_NAMES = [
    "Ava", "Liam", "Maya", "Noah", "Sofia", "Ethan", "Zoe", "Lucas", "Chloe",
    "Mateo", "Amara", "Owen", "Priya", "Diego", "Hana", "Jonah", "Leila", "Omar",
]  # fmt: skip
LAST_NAMES = [
    "Garcia", "Nguyen", "Smith", "Patel", "Johnson", "Kim", "Martinez", "Brown",
    "Okafor", "Lee", "Haddad", "Wilson", "Chen", "Lopez", "Novak", "Silva",
]  # fmt: skip
CITIES = [("Springfield", "IL", "62701"), ("Riverton", "WY", "82501")]

NAMED_CUSTOMERS = [
    # e-mail, first, last, guest?
    (DEMO_SHOPPER[0], "Pat", "Rivera", False),
    ("sam.okafor@school.example", "Sam", "Okafor", False),
    ("guest.family@mail.example", "Jordan", "Lee", True),
]

UNPAID_STATUSES = {OrderStatus.PENDING, OrderStatus.CANCELLED}
STATUS_WEIGHTS = {
    OrderStatus.PAID: 55,
    OrderStatus.FULFILLED: 30,
    OrderStatus.PENDING: 8,
    OrderStatus.CANCELLED: 4,
    OrderStatus.REFUNDED: 3,
}


def seed_groups() -> dict[str, Group]:
    groups = {}
    for name, description in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        GroupDetails.objects.update_or_create(
            group=group, defaults={"description": description}
        )
        groups[name] = group
    return groups


def seed_catalog(groups: dict[str, Group]) -> list[CatalogItem]:
    items = []
    for name, kind, price, limited_to, grants in CATALOG:
        item, _ = CatalogItem.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "kind": kind,
                "price": Decimal(price),
                "description": f"{name} from the school store.",
                "grants_group": groups.get(grants),
            },
        )
        item.allowed_groups.set([groups[limited_to]] if limited_to else [])
        items.append(item)
    return items


def ensure_login(email: str, password: str, *, staff: bool = False) -> User:
    """A verified account with a known password, for trying the demo."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password, is_staff=staff)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if staff:
        user.groups.add(Group.objects.get(name=STORE_ADMIN_GROUP))
    return user


def make_profile(user: User, first: str, last: str, *, guest: bool) -> CustomerProfile:
    city, region, postal_code = CITIES[len(first) % len(CITIES)]
    profile, _ = CustomerProfile.objects.get_or_create(
        user=user,
        defaults={
            "first_name": first,
            "last_name": last,
            "is_guest": guest,
            "phone": "555-0100",
            "billing_name": f"{first} {last}",
            "billing_line1": "12 School Lane",
            "billing_city": city,
            "billing_region": region,
            "billing_postal_code": postal_code,
            "billing_country": "US",
        },
    )
    return profile


def build_order(
    profile: CustomerProfile,
    items: list[CatalogItem],
    rng: random.Random,
    *,
    number: str | None = None,
    placed_at=None,
) -> tuple[Order, list[OrderLine]]:
    """An order and its lines in memory, with totals that add up."""
    chosen = rng.sample(items, k=rng.randint(1, 3))
    lines = [
        OrderLine(
            item=item,
            item_name=item.name,
            item_kind=item.kind,
            unit_price=item.price,
            quantity=(quantity := rng.randint(1, 3)),
            line_total=item.price * quantity,
        )
        for item in chosen
    ]
    total = sum((line.line_total for line in lines), Decimal("0.00"))
    status = rng.choices(list(STATUS_WEIGHTS), weights=STATUS_WEIGHTS.values())[0]
    paid = total if status != OrderStatus.PENDING else Decimal("0.00")
    if status == OrderStatus.CANCELLED:
        paid = Decimal("0.00")
    order = Order(
        customer=profile,
        email=profile.user.email,
        status=status,
        total=total,
        amount_paid=paid,
        amount_refunded=paid if status == OrderStatus.REFUNDED else Decimal("0.00"),
        payment_method=PaymentMethod.CARD if paid else PaymentMethod.NONE,
        payment_reference=f"ch_sandbox_demo{rng.getrandbits(40):x}" if paid else "",
        is_guest=profile.is_guest,
        placed_at=placed_at or timezone.now() - timedelta(days=rng.randint(0, 365)),
        **profile.billing_address(),
    )
    if number:
        order.number = number
    order.search_text = order.build_search_text(profile.full_name)
    return order, lines


@transaction.atomic
def seed_named_store(rng: random.Random) -> dict[str, int]:
    """The groups, catalog, demo logins and a few customers with history."""
    groups = seed_groups()
    items = seed_catalog(groups)
    admin = ensure_login(*DEMO_ADMIN, staff=True)
    make_profile(admin, "Dana", "Office", guest=False)

    new_orders = 0
    for email, first, last, guest in NAMED_CUSTOMERS:
        if guest:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, None)
        else:
            password = DEMO_SHOPPER[1] if email == DEMO_SHOPPER[0] else None
            user = ensure_login(email, password or "demo-shopper-pass")
        profile = make_profile(user, first, last, guest=guest)
        if profile.orders.exists():
            continue

        for _ in range(4):
            order, lines = build_order(profile, items, rng)
            save_order(order, lines)
            new_orders += 1
        basket, _ = Basket.objects.get_or_create(
            customer=profile, status=Basket.Status.OPEN
        )
        BasketLine.objects.get_or_create(
            basket=basket, item=items[0], defaults={"quantity": 2}
        )
    return {"groups": len(groups), "items": len(items), "orders": new_orders}


def save_order(order: Order, lines: list[OrderLine]) -> None:
    order.save()
    for line in lines:
        line.order = order
    OrderLine.objects.bulk_create(lines)
    if order.amount_paid:
        Payment.objects.create(
            order=order,
            kind=Payment.Kind.CHARGE,
            method=order.payment_method,
            amount=order.amount_paid,
            reference=order.payment_reference,
        )


def insert_rows(model, columns: list[str], rows: list[tuple]) -> list[int]:
    """Insert rows of column values and return their new ids.

    On PostgreSQL the ids are drawn from the table's sequence and the rows
    sent with COPY, several times faster than INSERT for bulk demo data;
    elsewhere bulk_create does the work.
    """
    if connection.vendor != "postgresql":
        created = model.objects.bulk_create(
            model(**dict(zip(columns, row, strict=True))) for row in rows
        )
        return [instance.pk for instance in created]

    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
            "FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        column_list = ", ".join(quote(column) for column in ["id", *columns])
        copy_sql = f"COPY {quote(table)} ({column_list}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for new_id, row in zip(ids, rows, strict=True):
                copy.write_row((new_id, *row))
    return ids


def bulk_customers(target: int, batch_size: int) -> Iterator[int]:
    """Make numbered bulk customers up to `target`; yields each batch's size."""
    existing = User.objects.filter(email__endswith="@" + BULK_DOMAIN).count()
    unusable = make_password(None)  # one hash for all: these never log in
    rng = random.Random(existing)
    now = timezone.now()
    for start in range(existing, target, batch_size):
        stop = min(start + batch_size, target)
        emails = [f"customer{n}@{BULK_DOMAIN}" for n in range(start, stop)]
        with transaction.atomic():
            user_ids = insert_rows(
                User,
                USER_COLUMNS,
                [(email, unusable, False, True, False, False, now) for email in emails],
            )
            profiles = [
                bulk_profile_row(user_id, email, rng, now)
                for user_id, email in zip(user_ids, emails, strict=True)
            ]
            insert_rows(CustomerProfile, PROFILE_COLUMNS, profiles)
        yield stop - start


USER_COLUMNS = [
    "email",
    "password",
    "is_staff",
    "is_active",
    "is_superuser",
    "must_change_password",
    "date_joined",
]
PROFILE_COLUMNS = [
    "user_id",
    "first_name",
    "last_name",
    "phone",
    "is_guest",
    "created_at",
    "updated_at",
    "version",
    "search_text",
    *CustomerProfile.BILLING_FIELDS,
]


def bulk_profile_row(user_id: int, email: str, rng: random.Random, now) -> tuple:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    billing = (
        f"{first} {last}",
        f"{rng.randint(1, 999)} Main Street",
        "",
        "Springfield",
        "IL",
        "62701",
        "US",
    )
    search_text = f"{email} {first} {last}".lower()
    guest = rng.random() < 0.3
    return (user_id, first, last, "", guest, now, now, 1, search_text, *billing)


ORDER_COLUMNS = [
    "number",
    "customer_id",
    "email",
    "status",
    "currency",
    "total",
    "amount_paid",
    "amount_refunded",
    "payment_method",
    "payment_reference",
    "is_guest",
    "placed_at",
    "updated_at",
    "version",
    "search_text",
    *Order.BILLING_FIELDS,
]
LINE_COLUMNS = [
    "order_id",
    "item_id",
    "item_name",
    "item_kind",
    "unit_price",
    "quantity",
    "line_total",
]
CUSTOMER_FACTS = [
    "pk",
    "user__email",
    "first_name",
    "last_name",
    "is_guest",
    *CustomerProfile.BILLING_FIELDS,
]


def bulk_orders(target: int, batch_size: int) -> Iterator[int]:
    """Make numbered bulk orders up to `target`, spread over the bulk customers."""
    existing = Order.objects.filter(number__startswith=BULK_ORDER_PREFIX).count()
    customer_ids = list(
        CustomerProfile.objects.filter(
            user__email__endswith="@" + BULK_DOMAIN
        ).values_list("pk", flat=True)
    )
    if not customer_ids:
        return
    items = list(CatalogItem.objects.all())
    rng = random.Random(existing)
    now = timezone.now()
    for start in range(existing, target, batch_size):
        stop = min(start + batch_size, target)
        picked = rng.choices(customer_ids, k=stop - start)
        facts = {
            row[0]: row
            for row in CustomerProfile.objects.filter(pk__in=set(picked)).values_list(
                *CUSTOMER_FACTS
            )
        }
        orders, lines = [], []
        for n, customer_id in zip(range(start, stop), picked, strict=True):
            placed_at = now - timedelta(minutes=rng.randint(0, 525_600))
            order, order_lines = bulk_order_rows(
                bulk_order_number(n), facts[customer_id], items, rng, placed_at
            )
            orders.append(order)
            lines.append(order_lines)
        with transaction.atomic():
            order_ids = insert_rows(Order, ORDER_COLUMNS, orders)
            insert_rows(
                OrderLine,
                LINE_COLUMNS,
                [
                    (order_id, *line)
                    for order_id, order_lines in zip(order_ids, lines, strict=True)
                    for line in order_lines
                ],
            )
        yield stop - start


def bulk_order_rows(
    number: str,
    customer: tuple,
    items: list[CatalogItem],
    rng: random.Random,
    placed_at,
) -> tuple[tuple, list[tuple]]:
    """One order's row and its lines' rows (without the order id)."""
    customer_id, email, first, last, guest, *billing = customer
    lines = []
    for item in rng.sample(items, k=rng.randint(1, 3)):
        quantity = rng.randint(1, 3)
        line_total = item.price * quantity
        lines.append((item.pk, item.name, item.kind, item.price, quantity, line_total))
    total = sum((line[-1] for line in lines), Decimal("0.00"))
    status = rng.choices(list(STATUS_WEIGHTS), weights=STATUS_WEIGHTS.values())[0]
    paid = Decimal("0.00") if status in UNPAID_STATUSES else total
    refunded = paid if status == OrderStatus.REFUNDED else Decimal("0.00")
    method = PaymentMethod.CARD if paid else PaymentMethod.NONE
    reference = f"ch_sandbox_demo{rng.getrandbits(40):x}" if paid else ""
    search_text = f"{number} {email} {first} {last} {billing[0]}".lower()
    order = (
        number,
        customer_id,
        email,
        status,
        settings.STORE_CURRENCY,
        total,
        paid,
        refunded,
        method,
        reference,
        guest,
        placed_at,
        placed_at,
        1,
        search_text,
        *billing,
    )
    return order, lines


def bulk_order_number(n: int) -> str:
    """Bulk numbers start with U and count up."""
    digits = []
    for _ in range(7):
        n, remainder = divmod(n, 32)
        digits.append(ORDER_NUMBER_ALPHABET[remainder])
    return BULK_ORDER_PREFIX + "".join(reversed(digits))


def has_bulk_customers() -> bool:
    return User.objects.filter(email__endswith="@" + BULK_DOMAIN).exists()
