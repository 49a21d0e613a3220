"""Home Affairs' pages for the portal's connections: API tokens and webhooks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from integrations import policy, selectors
from integrations.filters import DeliveryFilter
from integrations.forms import ApiTokenForm, WebhookForm
from integrations.models import ApiToken, Webhook, WebhookDelivery
from integrations.services import tokens as token_services
from integrations.services import webhooks as webhook_services

DELIVERIES_PER_PAGE = 30
# The token or signing secret just made, kept in the session only until the next page shows it.
SHOWN_ONCE = "integrations_shown_once"


def _attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _pop_shown_once(request, kind: str, pk: int | None = None) -> str | None:
    shown = request.session.get(SHOWN_ONCE)
    if not shown or shown.get("kind") != kind or (pk is not None and shown.get("pk") != pk):
        return None
    del request.session[SHOWN_ONCE]
    return shown["secret"]


@policy.action_required(policy.INTEGRATIONS_VIEW)
@require_safe
def token_list(request):
    tokens = list(selectors.token_list())
    for token in tokens:
        token.allowed = policy.token_allowed(request.user, token)
    new_secret = _pop_shown_once(request, "token")
    context = {
        "tokens": tokens,
        "new_secret": new_secret,
        "allowed": policy.allowed_actions(request.user),
    }
    return render(request, "integrations/token_list.html", context)


@policy.action_required(policy.TOKEN_CREATE)
@require_http_methods(["GET", "POST"])
def token_create(request):
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = token_services.api_token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            request.session[SHOWN_ONCE] = {
                "kind": "token",
                "pk": issued.token.pk,
                "secret": issued.secret,
            }
            messages.success(request, _("The API token was made. Copy it now: it is shown once."))
            return redirect("integrations:token_list")
    return render(request, "integrations/token_form.html", {"form": form})


@policy.action_required(policy.TOKEN_REVOKE)
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    token_services.api_token_revoke(token=token, actor=request.user)
    messages.success(
        request,
        _("The token %(name)s was revoked: it can no longer call the API.") % {"name": token.name},
    )
    return redirect("integrations:token_list")


@policy.action_required(policy.INTEGRATIONS_VIEW)
@require_safe
def webhook_list(request):
    hooks = list(selectors.webhook_list())
    context = {"hooks": hooks, "allowed": policy.allowed_actions(request.user)}
    return render(request, "integrations/webhook_list.html", context)


@policy.action_required(policy.WEBHOOK_CREATE)
@require_http_methods(["GET", "POST"])
def webhook_create(request):
    form = WebhookForm(request.POST or None, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            hook = webhook_services.webhook_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            request.session[SHOWN_ONCE] = {"kind": "webhook", "pk": hook.pk, "secret": hook.secret}
            messages.success(request, _("The webhook was registered. Copy its signing secret now."))
            return redirect("integrations:webhook_detail", pk=hook.pk)
    return render(request, "integrations/webhook_form.html", {"form": form})


@policy.action_required(policy.WEBHOOK_EDIT)
@require_http_methods(["GET", "POST"])
def webhook_edit(request, pk: int):
    hook = get_object_or_404(Webhook, pk=pk)
    initial = {
        "name": hook.name,
        "url": hook.url,
        "events": hook.events,
        "owner": hook.owner_id,
        "is_active": hook.is_active,
    }
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            webhook_services.webhook_update(webhook=hook, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("The webhook was saved."))
            return redirect("integrations:webhook_detail", pk=hook.pk)
    return render(request, "integrations/webhook_form.html", {"form": form, "hook": hook})


@policy.action_required(policy.INTEGRATIONS_VIEW)
@require_safe
def webhook_detail(request, pk: int):
    """A hook and its delivery log: each delivery's status and every attempt."""
    hook = get_object_or_404(Webhook.objects.select_related("owner__unit"), pk=pk)
    delivery_filter = DeliveryFilter(request.GET, queryset=selectors.delivery_log(hook))
    page = Paginator(delivery_filter.qs, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    for delivery in page:
        delivery.allowed = policy.delivery_allowed(request.user, delivery)
    context = {
        "allowed": policy.allowed_actions(request.user, hook=hook),
        "hook": hook,
        "filter": delivery_filter,
        "page": page,
        "new_secret": _pop_shown_once(request, "webhook", hook.pk),
    }
    if request.htmx:
        return render(request, "integrations/includes/delivery_table.html", context)
    return render(request, "integrations/webhook_detail.html", context)


@policy.action_required(policy.DELIVERY_RESEND)
@require_POST
def delivery_resend(request, pk: int):
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    try:
        webhook_services.delivery_resend(delivery=delivery, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The delivery is being sent again."))
    return redirect("integrations:webhook_detail", pk=delivery.webhook_id)
