from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    Group,
    PermissionsMixin,
)
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalize_email(address: str) -> str:
    """The one spelling of an e-mail address that the store keeps and looks up."""
    return (address or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email=normalize_email(email))

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A login: shopper, guest or staff. The e-mail address is the username.

    Guests get a user too, with an unusable password, so that every order has a
    customer profile and the address stays unique across the store. Clearing
    `is_active` is the "Disable Account" flag.
    """

    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unchecked means the account is disabled."),
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set with a temporary password; cleared when they choose one."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]
        indexes = [
            # Disabled accounts are few: People > Users' "disabled" filter
            # reads this small index instead of scanning every user.
            models.Index(
                fields=["id"],
                condition=models.Q(is_active=False),
                name="user_disabled_idx",
            ),
        ]
        permissions = [
            ("access_backoffice", "Can use the store back office"),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)


class BillingAddress(models.Model):
    """The billing address fields, shared by a profile and each order's copy."""

    billing_name = models.CharField(_("name on the bill"), max_length=150, blank=True)
    billing_line1 = models.CharField(_("address"), max_length=200, blank=True)
    billing_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    billing_city = models.CharField(_("city"), max_length=100, blank=True)
    billing_region = models.CharField(_("state or region"), max_length=100, blank=True)
    billing_postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    billing_country = models.CharField(_("country"), max_length=2, blank=True)

    BILLING_FIELDS = (
        "billing_name",
        "billing_line1",
        "billing_line2",
        "billing_city",
        "billing_region",
        "billing_postal_code",
        "billing_country",
    )

    class Meta:
        abstract = True

    def billing_address(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.BILLING_FIELDS}

    def billing_lines(self) -> list[str]:
        """The address as it would be written on an envelope, blank parts left out."""
        city_line = " ".join(
            part
            for part in (
                self.billing_city,
                self.billing_region,
                self.billing_postal_code,
            )
            if part
        )
        lines = [
            self.billing_name,
            self.billing_line1,
            self.billing_line2,
            city_line,
            self.billing_country,
        ]
        return [line for line in lines if line]


class CustomerProfile(BillingAddress):
    """The customer profile every order attaches to, guest orders included."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_guest = models.BooleanField(
        _("guest"),
        default=False,
        help_text=_("Made by a guest checkout; no password has been chosen yet."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Raised on every save through the services; a form posted with an older
    # version was loaded before another admin's save (lost-update guard).
    version = models.PositiveIntegerField(default=1)
    # Lower-cased e-mail, names and phone, for substring search (trigram
    # indexed on PostgreSQL).
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")
        indexes = [
            models.Index(fields=["-created_at"], name="profile_created_idx"),
            models.Index(fields=["last_name", "first_name"], name="profile_name_idx"),
        ]

    def __str__(self):
        return self.full_name or self.user.email

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "updated_at"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def build_search_text(self) -> str:
        parts = (self.user.email, self.first_name, self.last_name, self.phone)
        return " ".join(part for part in parts if part).lower()


class SavedCard(models.Model):
    """A card kept as the gateway's token. There is no field for a card number."""

    customer = models.ForeignKey(
        CustomerProfile,
        on_delete=models.CASCADE,
        related_name="saved_cards",
        verbose_name=_("customer"),
    )
    gateway_token = models.CharField(_("gateway token"), max_length=128, unique=True)
    brand = models.CharField(_("brand"), max_length=20)
    last4 = models.CharField(
        _("last four digits"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("Four digits."))],
    )
    exp_month = models.PositiveSmallIntegerField(
        _("expiry month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    exp_year = models.PositiveSmallIntegerField(_("expiry year"))
    holder_name = models.CharField(_("name on card"), max_length=150, blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    approved_by_cardholder = models.BooleanField(
        _("approved by the cardholder"),
        default=False,
        help_text=_("The cardholder agreed to have this card kept on file."),
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("saved card")
        verbose_name_plural = _("saved cards")
        ordering = ["-is_default", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(is_default=True),
                name="savedcard_one_default",
            ),
        ]

    def __str__(self):
        return f"{self.brand} •••• {self.last4}"

    @property
    def expiry(self) -> str:
        return f"{self.exp_month:02d}/{self.exp_year % 100:02d}"


class CustomerNote(models.Model):
    """An internal note by staff about a customer; never shown to the shopper."""

    customer = models.ForeignKey(
        CustomerProfile,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("customer"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("customer note")
        verbose_name_plural = _("customer notes")
        ordering = ["-created_at"]

    def __str__(self):
        return self.body[:60]


class GroupDetails(models.Model):
    """What a Django group is for, shown on People > Groups."""

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="details", primary_key=True
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("group details")
        verbose_name_plural = _("group details")

    def __str__(self):
        return self.group.name
