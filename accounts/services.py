"""Every write to an account's life: the first single sign-on, approval, deactivation, and the
second factor (TOTP device and recovery codes)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts import policy
from core.roles import UNIT_ROLES, Role
from notifications.models import NotificationKind
from notifications.services import notification_send
from organizations.models import OrgUnit, User
from tasks.models import ProgressReport, ReportState

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "default"


def _save(user: User, reason: str) -> None:
    # the reason is shown on the change history page, in Vietnamese like the others
    user.full_clean()
    user._change_reason = reason[:100]
    user.save()


# --- First sign-on and approval -------------------------------------------------------------


@transaction.atomic
def user_create_from_sign_in(*, username: str, email: str = "", full_name: str = "") -> User:
    """The account of a person whose first single sign-on matched nobody: no role, no unit, no
    password. They see only "waiting for approval" until Home Affairs approves them."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("An account with this user name already exists."))
    user = User(username=username, email=email, full_name=full_name[:150], role="", unit=None)
    user.set_unusable_password()
    _save(user, _("Account made at the first single sign-on"))
    for officer in User.objects.filter(role=Role.HOME_AFFAIRS, is_active=True):
        notification_send(
            recipient=officer,
            kind=NotificationKind.INFO,
            message=_("%(name)s signed in for the first time and waits for approval.")
            % {"name": user.get_full_name()},
            obj=user,
            link=reverse("accounts:pending_list"),
        )
    return user


@transaction.atomic
def user_approve(*, user: User, role: str, unit: OrgUnit | None, actor: User) -> User:
    """Home Affairs gives a waiting person a role (and a unit for unit roles); the person is
    told in the bell and can work from their next page."""
    policy.require(actor, policy.USER_APPROVE, person=user)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role in UNIT_ROLES and unit is None:
        raise ValidationError({"unit": _("A unit head or unit staff member needs a unit.")})
    user.role = role
    user.unit = unit
    _save(user, _("Account approved"))
    notification_send(
        recipient=user,
        kind=NotificationKind.INFO,
        message=_("Your account was approved: %(role)s.") % {"role": user.get_role_display()},
        obj=user,
        link=reverse("home"),
    )
    return user


# --- Deactivation ----------------------------------------------------------------------------


def unit_head_for(user: User) -> User | None:
    """The active head of the person's unit who takes over their drafts (not the person)."""
    if user.unit_id is None:
        return None
    return (
        User.objects.filter(unit_id=user.unit_id, role=Role.UNIT_HEAD, is_active=True)
        .exclude(pk=user.pk)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def user_deactivate(*, user: User, actor: User) -> tuple[int, User | None]:
    """A person who left: the account can no longer sign in, everything they did stays in the
    history under their name, and their open progress-report drafts pass to the unit head
    (told in the bell). Returns how many drafts were handed over and to whom.

    PAR self-assessment drafts belong to the unit, not to a person, so they need no hand-over."""
    policy.require(actor, policy.USER_DEACTIVATE, person=user)
    user.is_active = False
    _save(user, _("Account deactivated"))
    head = unit_head_for(user)
    handed = 0
    if head is not None:
        drafts = ProgressReport.objects.select_for_update().filter(
            author=user, state=ReportState.DRAFT
        )
        for report in drafts:
            report.author = head
            report._change_reason = _("Handed over from %(name)s, who left") % {
                "name": user.username
            }
            report.save(update_fields=["author"])
            handed += 1
        if handed:
            notification_send(
                recipient=head,
                kind=NotificationKind.INFO,
                message=_(
                    "%(name)s left: %(count)d progress report drafts were handed over to you."
                )
                % {"name": user.get_full_name(), "count": handed},
                obj=user,
                link=reverse("tasks:inbox"),
            )
    # Sessions end at their next request: the authentication middleware refuses inactive users.
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return handed, head


# --- Second factor ---------------------------------------------------------------------------


def otp_new_key() -> str:
    """A new TOTP secret (hex), kept in the session until the first right code confirms it."""
    return random_hex(20)


def otp_unsaved_device(*, user: User, key: str) -> TOTPDevice:
    """The device the setup page shows (QR code, key) before it exists in the database."""
    return TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=False)


@transaction.atomic
def otp_device_confirm(*, user: User, key: str, token: str) -> list[str]:
    """The first right code of the app (this step, the one before or after) creates the
    person's device, replacing any older one, and makes fresh recovery codes. Returns the codes
    (shown once; stored only as django-otp's static tokens)."""
    device = otp_unsaved_device(user=user, key=key)
    token = token.strip().replace(" ", "")
    matched = None
    if token.isdigit():
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        current = totp.t()
        for offset in (0, -1, 1):
            totp.drift = offset
            if totp.token() == int(token):
                matched = current + offset
                break
    if matched is None:
        raise ValidationError({"token": _("The code is wrong or has expired. Try the new code.")})
    TOTPDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.last_t = matched  # this code cannot be used again to sign in
    device.full_clean()
    device.save()
    return recovery_codes_replace(user=user)


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """Ten new single-use recovery codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def otp_disable(*, user: User) -> None:
    """A person for whom the second factor is optional turns it off."""
    policy.require(user, policy.OTP_DISABLE)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
