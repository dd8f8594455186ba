"""An account taking over the guest profile of its e-mail address.

Guest checkouts leave a profile per e-mail address. The person who owns
that address gets its orders once they prove it, by verifying the address:

- signing up with the address turns the guest login itself into the
  account (see `customers.adapter`); verifying makes it a full profile;
- adding the address to an existing account moves everything the guest
  profile holds onto the account's profile, then deletes the guest login.

Until the address is verified nothing moves and the guest profile cannot
log in, so its history stays out of sight.
"""

import logging

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, password_reset
from django.contrib import messages
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from activity.history import history_record
from customers.models import CustomerProfile, SavedCard, User, normalize_email
from customers.signals import customer_renamed

logger = logging.getLogger(__name__)

# Set in the session of the browser that signed up to claim a guest profile;
# verifying from elsewhere drops the password chosen at signup (see below).
SIGNUP_CLAIM_SESSION_KEY = "customers_claim_signup"
STORE_APPS = {"activity", "customers", "orders"}


def claimable_guest(email: str) -> User | None:
    """The guest login of `email` that nobody has verified yet, if there is one."""
    user = (
        User.objects.filter(email=normalize_email(email), profile__is_guest=True)
        .select_related("profile")
        .first()
    )
    if user is None:
        return None
    if EmailAddress.objects.filter(user=user, verified=True).exists():
        return None
    return user


@receiver(email_confirmed, dispatch_uid="customers.claims.claim_on_confirmation")
def claim_on_confirmation(sender, request, email_address, **kwargs) -> None:
    address = normalize_email(email_address.email)
    account = email_address.user
    profile = CustomerProfile.objects.filter(user=account).first()
    if profile is not None and profile.is_guest:
        guest_profile_claim(request=request, profile=profile)
        return

    guest = (
        User.objects.filter(email=address, profile__is_guest=True)
        .exclude(pk=account.pk)
        .select_related("profile")
        .first()
    )
    if guest is not None:
        guest_profile_merge(request=request, guest=guest.profile, account=account)


@receiver(password_reset, dispatch_uid="customers.claims.claim_on_password_reset")
def claim_on_password_reset(sender, request, user, **kwargs) -> None:
    """A reset link opened from the mailbox proves the address, as verifying does.

    A guest who never signed up can log in this way: "Forgot your password?"
    sends them a link, and the password they choose there is theirs.
    """
    profile = CustomerProfile.objects.filter(user=user, is_guest=True).first()
    if profile is None:
        return
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress(user=user, email=user.email, primary=True)
    address.verified = True
    address.save()
    guest_profile_claim(request=request, profile=profile, password_trusted=True)


def guest_profile_claim(
    *,
    request: HttpRequest | None,
    profile: CustomerProfile,
    password_trusted: bool | None = None,
) -> None:
    """Make the guest profile that just proved its address a full profile.

    A password chosen at signup was chosen before anyone proved they own the
    address. If the verification link is opened in another browser than the
    one that signed up, that password may be a stranger's, set in the hope
    that the owner clicks the link; it is dropped and the owner gets a reset
    link instead. `password_trusted` overrides that judgement (a password
    set through a reset link is the owner's).
    """
    user = profile.user
    if password_trusted is None:
        password_trusted = request is not None and (
            request.session.get(SIGNUP_CLAIM_SESSION_KEY) == user.pk
        )
    with transaction.atomic():
        locked = CustomerProfile.objects.select_for_update().get(pk=profile.pk)
        if not locked.is_guest:
            return
        locked.is_guest = False
        locked.version += 1
        locked.save(update_fields=["is_guest", "version"])
        if not password_trusted and user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        history_record(
            locked,
            "customers.profile.claimed",
            actor=user,
            changes={"is_guest": [True, False]},
        )
    logger.info("Guest profile %s claimed", profile.pk)

    if request is None:
        return
    request.session.pop(SIGNUP_CLAIM_SESSION_KEY, None)
    if password_trusted:
        messages.success(request, _("Your earlier orders are now in your account."))
        return
    _send_password_reset(request, user.email)
    messages.info(
        request,
        _(
            "Your address is verified and your earlier orders are in your "
            "account. To keep it safe, choose your password with the link just "
            "sent to you."
        ),
    )


def guest_profile_merge(
    *, request: HttpRequest | None, guest: CustomerProfile, account: User
) -> int:
    """Move what the guest profile holds onto the account's; returns rows moved.

    Every row of any app that points at the guest profile is re-pointed, so
    apps added later need nothing here. The empty guest login is deleted,
    which frees its address for the account.
    """
    if not guest.user.is_active:
        # An admin disabled this guest profile; its orders stay where they are.
        logger.warning("Not merging disabled guest profile %s", guest.pk)
        return 0

    with transaction.atomic():
        target = CustomerProfile.objects.get_or_create(user=account)[0]
        if target.saved_cards.filter(is_default=True).exists():
            SavedCard.objects.filter(customer=guest, is_default=True).update(
                is_default=False
            )
        moved = _repoint(CustomerProfile, guest, target)
        moved += _repoint(User, guest.user, account)
        account.groups.add(*guest.user.groups.all())
        history_record(
            target,
            "customers.profile.claimed",
            actor=account,
            changes={"merged_guest": [None, guest.user.email], "rows": moved},
        )
        guest.user.delete()
        # The moved orders now carry this customer's name.
        customer_renamed.send(sender=CustomerProfile, profile=target)
    logger.info("Merged guest profile %s into profile %s", guest.pk, target.pk)

    if request is not None:
        messages.success(request, _("Your earlier orders are now in your account."))
    return moved


def _repoint(model, old, new) -> int:
    """Re-point the store's foreign keys to `old` (a `model` row) at `new`.

    Only the store's own apps: allauth's and Django's rows about the guest
    login (addresses, sessions, admin log) go with it.
    """
    moved = 0
    for relation in model._meta.related_objects:
        if not relation.one_to_many:
            continue
        if relation.related_model._meta.app_label not in STORE_APPS:
            continue
        field = relation.field
        manager = relation.related_model._base_manager
        moved += manager.filter(**{field.name: old}).update(**{field.name: new})
    return moved


def _send_password_reset(request: HttpRequest, email: str) -> None:
    from allauth.account.forms import ResetPasswordForm

    form = ResetPasswordForm(data={"email": email})
    if form.is_valid():
        form.save(request)
