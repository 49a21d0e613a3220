"""The hourly dossier alerts, told to people: claim (services.alerts), then notify.

Each dossier is claimed once per alert by a conditional update; the claims and the notifications
share one transaction, so a run that fails after claiming rolls its claims back and the retry
(or the next hour) claims and notifies them again: a dossier is told about exactly once.

- Newly overdue: the receiving unit's head and staff get an "overdue dossier" notification,
  an immediate kind (mailed at once to those who keep that preference, else in the digest).
- Late without an apology one working day later: the same people get a reminder to send the
  apology letter (kind "information", so it waits for the digest).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from dossiers.services.alerts import dossiers_claim_apology_alerts, dossiers_claim_overdue_alerts
from notifications.events import emit_many
from notifications.models import NotificationKind
from notifications.services import UnitNotice, notify_units


@dataclass(frozen=True)
class AlertResult:
    overdue: int
    apologies: int
    notifications: int

    @property
    def claimed(self) -> int:
        return self.overdue + self.apologies


def _notice(dossier: Dossier, kind: str, message: str) -> UnitNotice:
    return UnitNotice(
        unit_id=dossier.unit_id,
        kind=kind,
        obj=dossier,
        message=message,
        link=reverse("dossiers:dossier_detail", args=[dossier.pk]),
    )


def _values(dossier: Dossier) -> dict[str, str]:
    return {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "due": dateformat.format(dossier.due_date, "d/m/Y"),
    }


@transaction.atomic
def dossier_alerts_notify(*, as_of: datetime.date | None = None) -> AlertResult:
    """Claim newly overdue dossiers and late ones still without an apology, and notify their
    receiving units. Returns the counts; a second run claims and notifies nothing."""
    today = as_of or timezone.localdate()
    overdue = dossiers_claim_overdue_alerts(as_of=today)
    apologies = dossiers_claim_apology_alerts(as_of=today)
    # Messages are stored, so they are written in the portal's language.
    with translation.override(settings.LANGUAGE_CODE):
        notices = [
            _notice(
                dossier,
                NotificationKind.DOSSIER_OVERDUE,
                _("Dossier %(code)s (%(procedure)s) is overdue: it was due on %(due)s.")
                % _values(dossier),
            )
            for dossier in overdue
        ] + [
            _notice(
                dossier,
                NotificationKind.INFO,
                _(
                    "Dossier %(code)s (%(procedure)s), due on %(due)s, is late and still has no "
                    "apology letter: send one to the applicant."
                )
                % _values(dossier),
            )
            for dossier in apologies
        ]
    sent = notify_units(notices=notices, day=today)
    # each dossier is claimed once: for listeners (outbound webhooks) only
    emit_many("dossier.late", actor=None, items=[(dossier, "overdue") for dossier in overdue])
    return AlertResult(overdue=len(overdue), apologies=len(apologies), notifications=sent)
