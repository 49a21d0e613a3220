"""API tokens: made by Home Affairs (shown once), revoked."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations import policy
from integrations.models import ApiGroup, ApiToken
from integrations.tokens import new_token
from organizations.models import User


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the whole token: shown once, never stored


@transaction.atomic
def api_token_create(
    *,
    actor: User,
    name: str,
    user: User,
    groups: Iterable[str],
    can_write: bool,
    expires_on: datetime.date | None,
) -> IssuedToken:
    """A token for an outside system acting as `user`. The whole token is returned once."""
    policy.require(actor, policy.TOKEN_CREATE)
    groups = sorted(set(groups))
    errors: dict[str, str] = {}
    if not groups:
        errors["groups"] = _("Choose at least one resource group.")
    elif set(groups) - set(ApiGroup.values):
        errors["groups"] = _("Choose resource groups from the list.")
    if not user.is_active or user.is_superuser:
        errors["user"] = _("Choose an active account that is not a site administrator.")
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = _("The expiry date has passed.")
    if errors:
        raise ValidationError(errors)
    secret, prefix, key_hash = new_token()
    token = ApiToken(
        name=name.strip(),
        user=user,
        prefix=prefix,
        key_hash=key_hash,
        groups=groups,
        can_write=can_write,
        expires_on=expires_on,
        created_by=actor,
    )
    token.full_clean()
    token.save()
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke at once: the next call with it is refused (401). Revoking twice changes nothing."""
    policy.require_person(actor, policy.TOKEN_REVOKE)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if policy.may(actor, policy.TOKEN_REVOKE, token=token):
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.full_clean()
        token.save()
    return token
