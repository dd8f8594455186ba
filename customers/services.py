"""The writes of the customers app.

Each service checks, writes in one transaction and records its history row
(`customers.email.changed`, `customers.account.disabled`…). Changes to the
profile's own fields raise `CustomerProfile.version` and carry the version
pair in the history row, so a form loaded before another admin's save is
refused with the list of what changed since (`ProfileConflict`).
"""

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.utils.translation import gettext as _

from activity.history import history_record
from customers.emails import send_email_changed_notice
from customers.models import (
    BillingAddress,
    CustomerNote,
    CustomerProfile,
    GroupDetails,
    SavedCard,
    User,
    normalize_email,
)
from customers.permissions import STORE_ADMIN_GROUP
from customers.selectors import email_in_use
from customers.sessions import sessions_end
from customers.signals import customer_renamed

logger = logging.getLogger(__name__)

NAME_FIELDS = ("first_name", "last_name", "phone")


class CustomerError(Exception):
    """A refused change. The message is safe to show; `field` names the form field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ProfileConflict(CustomerError):
    """The profile was saved by someone else since the posted version was loaded."""

    def __init__(self, profile: CustomerProfile):
        super().__init__(_("Another admin saved this profile since you opened it."))
        self.profile = profile


def _locked_profile(
    profile: CustomerProfile, expected_version: int | None = None
) -> CustomerProfile:
    locked = (
        CustomerProfile.objects.select_for_update()
        .select_related("user")
        .get(pk=profile.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ProfileConflict(locked)
    return locked


def _record(
    profile: CustomerProfile,
    action: str,
    actor,
    changes: Mapping[str, Any],
    *,
    version: bool = True,
) -> None:
    payload = dict(changes)
    if version:
        payload["version"] = [profile.version, profile.version + 1]
    history_record(profile, action, actor=actor, changes=payload)


def _save_profile(profile: CustomerProfile) -> None:
    profile.version += 1
    profile.save()


# Account ---------------------------------------------------------------------


def _apply_email(profile: CustomerProfile, actor, email: str) -> bool:
    user = profile.user
    old_email, new_email = user.email, normalize_email(email)
    if new_email == old_email:
        return False
    if email_in_use(new_email, exclude_user=user):
        raise CustomerError(
            _("Another account already uses this e-mail address."), field="email"
        )

    user.email = new_email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        # Taken by a concurrent change between the check and the write.
        raise CustomerError(
            _("Another account already uses this e-mail address."), field="email"
        ) from None

    # The old address must stop being a login: allauth finds users by their
    # EmailAddress rows as well as by User.email.
    EmailAddress.objects.filter(user=user).exclude(email__iexact=new_email).delete()
    EmailAddress.objects.update_or_create(
        user=user,
        email=new_email,
        defaults={"primary": True, "verified": False},
    )
    _record(
        profile, "customers.email.changed", actor, {"email": [old_email, new_email]}
    )
    transaction.on_commit(
        lambda: send_email_changed_notice(old_email=old_email, new_email=new_email)
    )
    return True


def _apply_names(profile: CustomerProfile, actor, values: Mapping[str, str]) -> bool:
    changes = {
        name: [getattr(profile, name), values[name]]
        for name in NAME_FIELDS
        if getattr(profile, name) != values[name]
    }
    if not changes:
        return False
    for name, (_before, after) in changes.items():
        setattr(profile, name, after)
    _record(profile, "customers.profile.changed", actor, changes)
    return True


def _apply_billing(profile: CustomerProfile, actor, billing: Mapping[str, str]) -> bool:
    changes = {
        name: [getattr(profile, name), billing[name]]
        for name in BillingAddress.BILLING_FIELDS
        if name in billing and getattr(profile, name) != billing[name]
    }
    if not changes:
        return False
    for name, (_before, after) in changes.items():
        setattr(profile, name, after)
    _record(profile, "customers.billing_address.changed", actor, changes)
    return True


def _group_names(groups: Iterable[Group]) -> list[str]:
    return sorted(group.name for group in groups)


def _apply_groups(profile: CustomerProfile, actor, groups: Iterable[Group]) -> bool:
    user = profile.user
    wanted = set(groups)
    current = set(user.groups.all())
    if wanted == current:
        return False
    removes_own_admin = user == actor and any(
        group.name == STORE_ADMIN_GROUP for group in current - wanted
    )
    if removes_own_admin:
        raise CustomerError(
            _("You cannot take yourself out of the %(group)s group.")
            % {"group": STORE_ADMIN_GROUP},
            field="groups",
        )
    user.groups.set(wanted)
    _record(
        profile,
        "customers.groups.changed",
        actor,
        {"groups": [_group_names(current), _group_names(wanted)]},
    )
    return True


def _apply_disabled(profile: CustomerProfile, actor, disabled: bool) -> bool:
    user = profile.user
    if disabled == (not user.is_active):
        return False
    if disabled and user == actor:
        raise CustomerError(_("You cannot disable your own account."), field="disabled")

    user.is_active = not disabled
    user.save(update_fields=["is_active"])
    if disabled:
        ended = sessions_end(user)
        logger.info("Disabled user %s and ended %d sessions", user.pk, ended)
        _record(
            profile, "customers.account.disabled", actor, {"disabled": [False, True]}
        )
    else:
        _record(
            profile, "customers.account.enabled", actor, {"disabled": [True, False]}
        )
    return True


def customer_update(
    *,
    profile: CustomerProfile,
    actor: User,
    expected_version: int,
    email: str,
    first_name: str,
    last_name: str,
    phone: str,
    groups: Iterable[Group],
    disabled: bool,
    billing: Mapping[str, str],
) -> CustomerProfile:
    """Save the profile edit page's account form: everything its one Save covers.

    Raises ProfileConflict when the profile's version is no longer
    `expected_version`, CustomerError for a refused change; nothing is
    written then.
    """
    with transaction.atomic():
        locked = _locked_profile(profile, expected_version)
        names = {"first_name": first_name, "last_name": last_name, "phone": phone}
        changed = [
            _apply_email(locked, actor, email),
            _apply_names(locked, actor, names),
            _apply_billing(locked, actor, billing),
            _apply_groups(locked, actor, groups),
            _apply_disabled(locked, actor, disabled),
        ]
        if any(changed):
            renamed = (locked.first_name, locked.last_name) != (
                profile.first_name,
                profile.last_name,
            )
            _save_profile(locked)
            if renamed:
                customer_renamed.send(sender=CustomerProfile, profile=locked)
    return locked


def customer_change_email(
    *, profile: CustomerProfile, actor: User | str, email: str
) -> CustomerProfile:
    """Change the customer's login e-mail; refuses an address another account uses."""
    with transaction.atomic():
        locked = _locked_profile(profile)
        if _apply_email(locked, actor, email):
            _save_profile(locked)
    return locked


def customer_disable(*, profile: CustomerProfile, actor: User | str) -> CustomerProfile:
    """ "Disable Account": refuse logins and orders, end every open session now."""
    with transaction.atomic():
        locked = _locked_profile(profile)
        if _apply_disabled(locked, actor, True):
            _save_profile(locked)
    return locked


def customer_enable(*, profile: CustomerProfile, actor: User | str) -> CustomerProfile:
    with transaction.atomic():
        locked = _locked_profile(profile)
        if _apply_disabled(locked, actor, False):
            _save_profile(locked)
    return locked


def customer_set_groups(
    *, profile: CustomerProfile, actor: User | str, groups: Iterable[Group]
) -> CustomerProfile:
    with transaction.atomic():
        locked = _locked_profile(profile)
        if _apply_groups(locked, actor, groups):
            _save_profile(locked)
    return locked


# Passwords -------------------------------------------------------------------


def _check_can_have_password(profile: CustomerProfile) -> None:
    if profile.is_guest:
        raise CustomerError(
            _(
                "A guest profile has no password. The customer can sign up with "
                "this e-mail address to take the profile over."
            )
        )
    if not profile.user.is_active:
        raise CustomerError(_("Enable the account first."))


def customer_send_password_reset(
    *, profile: CustomerProfile, actor: User | str, request: HttpRequest
) -> None:
    """Send allauth's password reset e-mail: the recommended way to reset."""
    with transaction.atomic():
        locked = _locked_profile(profile)
        _check_can_have_password(locked)
        form = ResetPasswordForm(data={"email": locked.user.email})
        if not form.is_valid():
            raise CustomerError(_("The reset e-mail could not be sent."))
        with request_context(request):
            form.save(request)
        _record(locked, "customers.password.reset_sent", actor, {}, version=False)


def customer_set_temporary_password(
    *, profile: CustomerProfile, actor: User | str, password: str
) -> None:
    """Set a password the customer must change at their next login.

    Setting it ends the customer's other sessions, as any password change does.
    """
    with transaction.atomic():
        locked = _locked_profile(profile)
        _check_can_have_password(locked)
        user = locked.user
        validate_password(password, user)
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        _record(locked, "customers.password.temporary_set", actor, {}, version=False)


def customer_clear_must_change_password(*, user: User) -> None:
    """The customer chose a new password: stop sending them to the change page."""
    if user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False


# Saved cards -----------------------------------------------------------------


def card_add(
    *,
    profile: CustomerProfile,
    actor: User | str,
    token: str,
    brand: str,
    last4: str,
    exp_month: int,
    exp_year: int,
    holder_name: str = "",
    approved_by_cardholder: bool,
) -> SavedCard:
    """Keep a card the gateway already tokenized; the first card becomes the default."""
    if not approved_by_cardholder:
        raise CustomerError(
            _("The cardholder must approve keeping the card on file."),
            field="approved_by_cardholder",
        )
    with transaction.atomic():
        locked = _locked_profile(profile)
        is_first = not locked.saved_cards.exists()
        card = SavedCard.objects.create(
            customer=locked,
            gateway_token=token,
            brand=brand,
            last4=last4,
            exp_month=exp_month,
            exp_year=exp_year,
            holder_name=holder_name,
            is_default=is_first,
            approved_by_cardholder=True,
        )
        _record(
            locked,
            "customers.card.added",
            actor,
            {"card": [None, f"{brand} {last4} {card.expiry}"]},
            version=False,
        )
    return card


def card_remove(*, card: SavedCard, actor: User | str) -> None:
    """Forget a card; the newest remaining card becomes the default if it was."""
    with transaction.atomic():
        locked = _locked_profile(card.customer)
        card = SavedCard.objects.select_for_update().get(pk=card.pk)
        card.delete()
        if card.is_default:
            successor = locked.saved_cards.order_by("-created_at", "-pk").first()
            if successor is not None:
                successor.is_default = True
                successor.save(update_fields=["is_default"])
        _record(
            locked,
            "customers.card.removed",
            actor,
            {"card": [f"{card.brand} {card.last4} {card.expiry}", None]},
            version=False,
        )


def card_make_default(*, card: SavedCard, actor: User | str) -> SavedCard:
    with transaction.atomic():
        locked = _locked_profile(card.customer)
        previous = locked.saved_cards.filter(is_default=True).first()
        if previous is not None and previous.pk == card.pk:
            return previous
        # One default per customer is a constraint: clear the old one first.
        locked.saved_cards.filter(is_default=True).update(is_default=False)
        locked.saved_cards.filter(pk=card.pk).update(is_default=True)
        card.refresh_from_db()
        before = None if previous is None else f"{previous.brand} {previous.last4}"
        _record(
            locked,
            "customers.card.default_changed",
            actor,
            {"default_card": [before, f"{card.brand} {card.last4}"]},
            version=False,
        )
    return card


# Notes -----------------------------------------------------------------------


def customer_note_add(
    *, profile: CustomerProfile, author: User, body: str
) -> CustomerNote:
    """An internal note about the customer, never shown to them."""
    body = body.strip()
    if not body:
        raise CustomerError(_("Write the note first."), field="body")
    with transaction.atomic():
        note = CustomerNote.objects.create(customer=profile, author=author, body=body)
        history_record(profile, "customers.note.added", actor=author)
    return note


# Groups ----------------------------------------------------------------------


def _check_group_name(name: str, *, exclude: Group | None = None) -> str:
    name = name.strip()
    if not name:
        raise CustomerError(_("Give the group a name."), field="name")
    taken = Group.objects.annotate(lower_name=Lower("name")).filter(
        lower_name=name.lower()
    )
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise CustomerError(_("A group with this name exists."), field="name")
    return name


def _check_not_store_admin(group: Group) -> None:
    if group.name == STORE_ADMIN_GROUP:
        raise CustomerError(
            _("The %(group)s group gives access to the back office; it stays.")
            % {"group": STORE_ADMIN_GROUP}
        )


def group_create(*, name: str, description: str = "", actor: User | str) -> Group:
    with transaction.atomic():
        name = _check_group_name(name)
        group = Group.objects.create(name=name)
        GroupDetails.objects.create(group=group, description=description.strip())
        history_record(
            group,
            "customers.group.created",
            actor=actor,
            changes={"name": [None, name]},
        )
    return group


def group_rename(*, group: Group, name: str, actor: User | str) -> Group:
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        _check_not_store_admin(group)
        name = _check_group_name(name, exclude=group)
        if name == group.name:
            return group
        before = group.name
        group.name = name
        group.save(update_fields=["name"])
        history_record(
            group,
            "customers.group.renamed",
            actor=actor,
            changes={"name": [before, name]},
        )
    return group


def group_describe(*, group: Group, description: str, actor: User | str) -> Group:
    description = description.strip()
    with transaction.atomic():
        details, _created = GroupDetails.objects.select_for_update().get_or_create(
            group=group
        )
        if details.description == description:
            return group
        before = details.description
        details.description = description
        details.save(update_fields=["description"])
        history_record(
            group,
            "customers.group.described",
            actor=actor,
            changes={"description": [before, description]},
        )
    return group


def group_update(
    *, group: Group, name: str, description: str, actor: User | str
) -> Group:
    """People > Groups' edit form: rename and describe in one transaction."""
    with transaction.atomic():
        if name.strip() != group.name:
            group = group_rename(group=group, name=name, actor=actor)
        return group_describe(group=group, description=description, actor=actor)


def _limits_other_records(group: Group) -> bool:
    """Whether records of other apps (catalog items) are limited to the group.

    Deleting the group would silently lift those limits.
    """
    for relation in Group._meta.related_objects:
        other_app = relation.many_to_many and relation.related_model is not User
        if other_app and getattr(group, relation.get_accessor_name()).exists():
            return True
    return False


def group_delete(*, group: Group, actor: User | str) -> None:
    """Delete a group; its members simply leave it.

    Refuses the Store admin group and groups that limit or are granted by
    catalog items.
    """
    _check_not_store_admin(group)
    if _limits_other_records(group):
        raise CustomerError(
            _(
                "Catalog items are limited to this group; change them before "
                "deleting it."
            )
        )
    try:
        with transaction.atomic():
            history_record(
                group,
                "customers.group.deleted",
                actor=actor,
                changes={"name": [group.name, None]},
            )
            group.delete()
    except ProtectedError:
        raise CustomerError(
            _(
                "Catalog items grant membership of this group; change them "
                "before deleting it."
            )
        ) from None
