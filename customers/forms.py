from typing import Any

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from customers.models import (
    BillingAddress,
    CustomerNote,
    CustomerProfile,
    GroupDetails,
    normalize_email,
)
from customers.selectors import email_in_use

ACCOUNT_FORM_ID = "account-form"

EMAIL_WARNING = _(
    "The customer's E-mail is also their Username. Changing this information "
    "will require that the customer uses a different login to the store, which "
    "is not recommended in this version of ePayTrak."
)


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, group):
        return group.name


class ProfileAccountForm(forms.Form):
    """The account part of the profile edit page, saved by its one Save button.

    Its fields sit in several places of the page, around the Reset password
    block, so every input names the form it belongs to.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    email = forms.EmailField(
        label=_("E-mail (username)"), max_length=254, help_text=EMAIL_WARNING
    )
    confirm_email_change = forms.BooleanField(
        label=_("Yes, change the customer's login e-mail"),
        required=False,
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    groups = GroupChoiceField(
        label=_("Groups"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (or Cmd) to select more than one."),
    )
    disabled = forms.BooleanField(
        label=_("Disable Account"),
        required=False,
        help_text=_(
            "A disabled customer cannot log in or place orders, and their open "
            "sessions end when you save."
        ),
    )
    billing_name = forms.CharField(
        label=_("Name on the bill"), max_length=150, required=False
    )
    billing_line1 = forms.CharField(label=_("Address"), max_length=200, required=False)
    billing_line2 = forms.CharField(
        label=_("Address line 2"), max_length=200, required=False
    )
    billing_city = forms.CharField(label=_("City"), max_length=100, required=False)
    billing_region = forms.CharField(
        label=_("State or region"), max_length=100, required=False
    )
    billing_postal_code = forms.CharField(
        label=_("Postal code"), max_length=20, required=False
    )
    billing_country = forms.RegexField(
        label=_("Country"),
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        required=False,
        help_text=_("Two-letter code, such as US."),
        error_messages={"invalid": _("Use the two-letter country code.")},
    )

    ACCOUNT_FIELDS = (
        "email",
        "confirm_email_change",
        "first_name",
        "last_name",
        "phone",
    )

    def __init__(self, *args, profile: CustomerProfile, **kwargs):
        kwargs.setdefault("initial", self.initial_for(profile))
        super().__init__(*args, **kwargs)
        self.profile = profile
        for field in self.fields.values():
            field.widget.attrs["form"] = ACCOUNT_FORM_ID

    @staticmethod
    def initial_for(profile: CustomerProfile) -> dict[str, Any]:
        user = profile.user
        return {
            "version": profile.version,
            "email": user.email,
            "first_name": profile.first_name,
            "last_name": profile.last_name,
            "phone": profile.phone,
            "groups": list(user.groups.all()),
            "disabled": not user.is_active,
            **profile.billing_address(),
        }

    def clean_billing_country(self) -> str:
        return self.cleaned_data["billing_country"].upper()

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and normalize_email(email) != self.profile.user.email:
            if email_in_use(email, exclude_user=self.profile.user):
                self.add_error(
                    "email", _("Another account already uses this e-mail address.")
                )
            elif not cleaned.get("confirm_email_change"):
                self.add_error(
                    "confirm_email_change",
                    _("Tick this box to confirm that the login e-mail changes."),
                )
        return cleaned

    def billing_fields(self):
        return [self[name] for name in BillingAddress.BILLING_FIELDS]

    def update_arguments(self) -> dict[str, Any]:
        """The cleaned data as `customer_update` takes it."""
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "email": data["email"],
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "phone": data["phone"].strip(),
            "groups": list(data["groups"]),
            "disabled": data["disabled"],
            "billing": {
                name: data[name].strip() for name in BillingAddress.BILLING_FIELDS
            },
        }


class TemporaryPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    understood = forms.BooleanField(
        label=_(
            "I will give this password to the customer myself; they must choose "
            "a new one at their next login."
        ),
    )


class NoteForm(forms.ModelForm):
    class Meta:
        model = CustomerNote
        fields = ["body"]
        labels = {"body": _("New note")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Description"),
        max_length=GroupDetails._meta.get_field("description").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
