import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import BillingAddress, CustomerProfile

# Crockford's base32 without I, L, O and U: nothing to misread over the phone.
ORDER_NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ORDER_NUMBER_LENGTH = 8


def generate_order_number() -> str:
    return "".join(
        secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(ORDER_NUMBER_LENGTH)
    )


def normalize_order_number(text: str) -> str:
    """How a typed order number is compared: no spaces or dashes, upper case."""
    return text.strip().replace("-", "").replace(" ", "").upper()


class ItemKind(models.TextChoices):
    PRODUCT = "product", _("Product")
    FEE = "fee", _("Fee")
    EVENT_TICKET = "event_ticket", _("Event ticket")
    DONATION = "donation", _("Donation")
    GROUP_MEMBERSHIP = "group_membership", _("Group membership")


# Bootstrap Icons names, one per kind of catalog item.
ITEM_KIND_ICONS = {
    ItemKind.PRODUCT: "bag",
    ItemKind.FEE: "receipt",
    ItemKind.EVENT_TICKET: "ticket-perforated",
    ItemKind.DONATION: "heart",
    ItemKind.GROUP_MEMBERSHIP: "people",
}


class CatalogItem(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.PRODUCT
    )
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(
        _("price"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    is_available = models.BooleanField(_("available"), default=True)
    allowed_groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="limited_items",
        verbose_name=_("limited to groups"),
        help_text=_("Leave empty to offer the item to everyone."),
    )
    grants_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="membership_items",
        verbose_name=_("grants membership of"),
        help_text=_("For group membership items: the group a paid order joins."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("catalog item")
        verbose_name_plural = _("catalog items")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="catalogitem_price_not_negative"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=ItemKind.GROUP_MEMBERSHIP, grants_group__isnull=False)
                    | (
                        ~models.Q(kind=ItemKind.GROUP_MEMBERSHIP)
                        & models.Q(grants_group__isnull=True)
                    )
                ),
                name="catalogitem_membership_names_group",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def icon(self) -> str:
        return ITEM_KIND_ICONS[self.kind]


class Basket(models.Model):
    """A basket kept in the database: a shopper's, a guest's by session, or staff's."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ORDERED = "ordered", _("Ordered")
        ABANDONED = "abandoned", _("Abandoned")

    customer = models.ForeignKey(
        CustomerProfile,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="baskets",
        verbose_name=_("customer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("basket")
        verbose_name_plural = _("baskets")
        indexes = [
            models.Index(fields=["customer", "status"], name="basket_customer_idx"),
        ]

    def __str__(self):
        return f"Basket {self.pk}"


class BasketLine(models.Model):
    basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("basket line")
        verbose_name_plural = _("basket lines")
        constraints = [
            models.UniqueConstraint(
                fields=["basket", "item"], name="basketline_one_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.item}"


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    FULFILLED = "fulfilled", _("Fulfilled")
    CANCELLED = "cancelled", _("Cancelled")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Card")
    CASH = "cash", _("Cash")
    CHECK = "check", _("Check")
    NONE = "none", _("Not paid yet")


class Order(BillingAddress):
    """An order, attached to a customer profile, with a copy of its billing address."""

    number = models.CharField(
        _("order number"),
        max_length=ORDER_NUMBER_LENGTH,
        unique=True,
        default=generate_order_number,
        editable=False,
    )
    customer = models.ForeignKey(
        CustomerProfile,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("customer"),
    )
    # The address the order was placed with, kept for receipts and search
    # even if the customer's login changes later.
    email = models.EmailField(_("e-mail"), max_length=254)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING,
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    amount_paid = models.DecimalField(
        _("paid"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    amount_refunded = models.DecimalField(
        _("refunded"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    payment_method = models.CharField(
        _("payment method"),
        max_length=10,
        choices=PaymentMethod.choices,
        default=PaymentMethod.NONE,
    )
    payment_reference = models.CharField(
        _("payment reference"),
        max_length=100,
        blank=True,
        help_text=_("The gateway's charge id, or the check number."),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placed by staff"),
        help_text=_("The staff user who placed it; empty when the customer did."),
    )
    is_guest = models.BooleanField(
        _("guest order"),
        default=False,
        help_text=_("Placed through the guest checkout, without logging in."),
    )
    idempotency_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1)
    # Lower-cased number, e-mail, customer name and billing name, for the
    # Order Manager's substring search (trigram indexed on PostgreSQL).
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["-placed_at", "-id"], name="order_placed_idx"),
            models.Index(
                fields=["customer", "-placed_at"], name="order_customer_placed_idx"
            ),
            models.Index(
                fields=["status", "-placed_at"], name="order_status_placed_idx"
            ),
            models.Index(fields=["email"], name="order_email_idx"),
            models.Index(fields=["total"], name="order_total_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="order_total_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_refunded__lte=models.F("amount_paid")),
                name="order_refund_within_paid",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def balance_due(self) -> Decimal:
        return self.total - self.amount_paid + self.amount_refunded

    def build_search_text(self, customer_name: str = "") -> str:
        parts = (self.number, self.email, customer_name, self.billing_name)
        return " ".join(part for part in parts if part).lower()


class OrderLine(models.Model):
    """One line of an order, with the item's name and price as they were sold."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(
        CatalogItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    item_name = models.CharField(_("item"), max_length=200)
    item_kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total = models.DecimalField(_("line total"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self):
        return f"{self.quantity} × {self.item_name}"

    @property
    def icon(self) -> str:
        return ITEM_KIND_ICONS[self.item_kind]


class Payment(models.Model):
    """Money in or out of an order: a charge, a cash or check receipt, a refund."""

    class Kind(models.TextChoices):
        CHARGE = "charge", _("Charge")
        REFUND = "refund", _("Refund")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class OrderNote(models.Model):
    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        CUSTOMER = "customer", _("Visible to the customer")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("note"), max_length=5000)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
    )
    is_system = models.BooleanField(
        _("system note"),
        default=False,
        help_text=_("Written by the store itself; cannot be edited."),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("order note")
        verbose_name_plural = _("order notes")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:60]
