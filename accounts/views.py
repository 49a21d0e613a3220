from __future__ import annotations

import base64

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import policy, selectors, services
from accounts.columns import USER_COLUMNS
from accounts.filters import UserFilter
from accounts.forms import OTPTokenForm, UserApproveForm
from accounts.policy import SESSION_HAS_DEVICE, is_pending, second_factor_required
from core.forms import errors_as_text
from core.http import client_ip
from organizations.models import User

RECOVERY_SESSION_KEY = "accounts_recovery_codes"
TOTP_DIGITS = 6
OTP_KEY_SESSION_KEY = "accounts_otp_new_key"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _credentials(user) -> dict:
    return {"username": user.username}


def _locked_out(request):
    """The lockout of django-axes covers wrong codes too: a locked account is signed out."""
    credentials = _credentials(request.user)
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return get_lockout_response(request, credentials=credentials)
    return None


def _wrong_code(request) -> None:
    # django-axes counts it like a wrong password; its middleware answers with the lockout page
    # once the limit is reached.
    user_login_failed.send(sender=__name__, credentials=_credentials(request.user), request=request)


# --- Waiting for approval ------------------------------------------------------------------


@login_required
@require_safe
def pending_wait(request):
    if not is_pending(request.user):
        return redirect("home")
    return render(request, "accounts/pending_wait.html")


# --- Second factor -------------------------------------------------------------------------


def _qr_svg(device: TOTPDevice) -> str:
    uri = device.config_url
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Scan the QR code (or type the key), enter the first code: the device is made, the
    session is verified and the recovery codes are shown once. Nothing is written before the
    right code: the new secret waits in the session."""
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        return redirect("accounts:otp_verify")
    key = request.session.get(OTP_KEY_SESSION_KEY) or services.otp_new_key()
    request.session[OTP_KEY_SESSION_KEY] = key
    device = services.otp_unsaved_device(user=request.user, key=key)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST":
        locked = _locked_out(request)
        if locked is not None:
            return locked
        if form.is_valid():
            try:
                codes = services.otp_device_confirm(
                    user=request.user, key=key, token=form.cleaned_data["token"]
                )
            except ValidationError as exc:
                _wrong_code(request)
                form.add_error("token", exc.message_dict.get("token", exc.messages)[0])
            else:
                otp_login(request, TOTPDevice.objects.get(user=request.user, confirmed=True))
                del request.session[OTP_KEY_SESSION_KEY]
                request.session[SESSION_HAS_DEVICE] = True
                request.session[RECOVERY_SESSION_KEY] = codes
                messages.success(request, _("Two-step sign-in is on for your account."))
                return redirect(f"{_recovery_url()}?{urlencode({'next': _next_url(request)})}")
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": _qr_svg(device),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": second_factor_required(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_setup.html", context)


def _recovery_url() -> str:
    return reverse("accounts:recovery_codes")


def _throttled(user) -> bool:
    """django-otp doubles the wait after each wrong code (OTP_TOTP_THROTTLE_FACTOR seconds
    first); a code sent before the wait is over is refused whatever it is, so say so."""
    return any(
        not device.verify_is_allowed()[0]
        for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


def _is_app_code(token: str) -> bool:
    return token.isdigit() and len(token) == TOTP_DIGITS


def _match(user, token: str):
    """The device the code belongs to: the app's 6 digits go to the TOTP device only, anything
    else to the recovery codes only, so a recovery code is not counted as a wrong app code."""
    if _is_app_code(token):
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    return next((device for device in devices if device.verify_token(token)), None)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of a sign-in: a code from the app or a recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:otp_setup")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST":
        locked = _locked_out(request)
        if locked is not None:
            return locked
        token = form.cleaned_data["token"] if form.is_valid() else ""
        if token and _is_app_code(token) and _throttled(request.user):
            _wrong_code(request)
            form.add_error(
                "token", _("Too many wrong codes: wait a few seconds, then enter the new code.")
            )
        elif token:
            device = _match(request.user, token)
            if device is not None:
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        _("You used a recovery code; %(count)d are left.") % {"count": left},
                    )
                return redirect(_next_url(request))
            _wrong_code(request)
            form.add_error("token", _("The code is wrong or has expired. Try the new code."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_safe
def recovery_codes(request):
    """The recovery codes, once: they leave the session as this page is shown."""
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:security")
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@login_required
@require_safe
def security(request):
    user = request.user
    context = {
        "enabled": user_has_device(user, confirmed=True),
        "required": second_factor_required(user),
        "codes_left": sum(
            device.token_set.count() for device in StaticDevice.objects.filter(user=user)
        ),
        "local_passwords": settings.LOCAL_PASSWORD_LOGIN,
        "allowed": policy.allowed_actions(user),
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def recovery_codes_new(request):
    if not user_has_device(request.user, confirmed=True):
        messages.error(request, _("Turn on two-step sign-in first."))
        return redirect("accounts:security")
    request.session[RECOVERY_SESSION_KEY] = services.recovery_codes_replace(user=request.user)
    messages.success(request, _("New recovery codes were made; the old ones no longer work."))
    return redirect("accounts:recovery_codes")


@policy.action_required(policy.OTP_DISABLE)
@require_POST
def otp_disable(request):
    services.otp_disable(user=request.user)
    request.session[SESSION_HAS_DEVICE] = False
    messages.success(request, _("Two-step sign-in is off for your account."))
    return redirect("accounts:security")


# --- Home Affairs: users, approval, deactivation -------------------------------------------


@policy.action_required(policy.USERS_MANAGE)
@require_safe
def user_list(request):
    user_filter = UserFilter(request.GET, queryset=selectors.user_list())
    page = Paginator(user_filter.qs, 50).get_page(request.GET.get("page"))
    template = "accounts/includes/user_table.html" if request.htmx else "accounts/user_list.html"
    context = {"filter": user_filter, "page": page, "columns": USER_COLUMNS}
    return render(request, template, context)


@policy.action_required(policy.USERS_MANAGE)
@require_safe
def pending_list(request):
    pending = list(selectors.users_pending()[:200])
    # one query for the unit choices, shared by every row's form (not one per row)
    unit_choices = list(UserApproveForm().fields["unit"].choices)
    rows = []
    for person in pending:
        form = UserApproveForm(prefix=f"u{person.pk}")
        form.fields["unit"].choices = unit_choices
        rows.append((person, form))
    return render(request, "accounts/pending_list.html", {"rows": rows})


@policy.action_required(policy.USERS_MANAGE)
@require_safe
def user_detail(request, pk: int):
    person = get_object_or_404(selectors.user_list(), pk=pk)
    allowed = policy.allowed_actions(request.user, person=person)
    approve = allowed[policy.USER_APPROVE]
    context = {
        "person": person,
        "head": services.unit_head_for(person),
        "drafts": selectors.drafts_of(person),
        "approve_form": UserApproveForm(prefix=f"u{person.pk}") if approve else None,
        "allowed": allowed,
    }
    return render(request, "accounts/user_detail.html", context)


@policy.action_required(policy.USER_APPROVE)
@require_POST
def user_approve(request, pk: int):
    person = get_object_or_404(selectors.user_list(), pk=pk)
    form = UserApproveForm(request.POST, prefix=f"u{person.pk}")
    if form.is_valid():
        try:
            services.user_approve(user=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(
                request,
                _("%(name)s was approved and told in the bell.") % {"name": person},
            )
            return redirect("accounts:pending_list")
    else:
        messages.error(request, errors_as_text(form))
    return redirect("accounts:user_detail", pk=person.pk)


@policy.action_required(policy.USER_DEACTIVATE)
@require_POST
def user_deactivate(request, pk: int):
    person: User = get_object_or_404(selectors.user_list(), pk=pk)
    try:
        handed, head = services.user_deactivate(user=person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if handed:
            messages.success(
                request,
                _("%(name)s was deactivated; %(count)d drafts were handed over to %(head)s.")
                % {"name": person, "count": handed, "head": head},
            )
        else:
            messages.success(request, _("%(name)s was deactivated.") % {"name": person})
    return redirect("accounts:user_detail", pk=person.pk)


# --- Sign-in pages -------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """The login page: the password form (unless LOCAL_PASSWORD_LOGIN is off) and the single
    sign-on button (when OIDC is configured)."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["local_passwords"] = settings.LOCAL_PASSWORD_LOGIN
        return context

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_PASSWORD_LOGIN:
            messages.error(request, _("Sign in with the province's single sign-on account."))
            return redirect("login")
        return super().post(request, *args, **kwargs)


def _local_passwords_only(view):
    def wrapper(request, *args, **kwargs):
        if not settings.LOCAL_PASSWORD_LOGIN:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view with the portal's mails, sending at most PASSWORD_RESET_RATE mails
    per client address an hour: past that the page answers the same, and nothing is sent (so
    neither a mailbox can be flooded nor the answer tell anything)."""

    html_email_template_name = "registration/password_reset_email.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        key = f"password-reset:{client_ip(self.request)}"
        cache.add(key, 0, timeout=60 * 60)
        if cache.incr(key) > settings.PASSWORD_RESET_RATE:
            return redirect(self.get_success_url())
        return super().form_valid(form)


password_reset = _local_passwords_only(PasswordResetView.as_view())
password_reset_done = _local_passwords_only(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = _local_passwords_only(auth_views.PasswordResetConfirmView.as_view())
password_reset_complete = _local_passwords_only(auth_views.PasswordResetCompleteView.as_view())
