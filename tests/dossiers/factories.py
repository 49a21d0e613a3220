"""Procedures and dossiers for tests, made through the services so derived dates are right."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from dossiers import services
from dossiers.models import Channel, TimeLimitKind

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_codes = itertools.count(1)


def at(year, month, day, hour=9, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=VN)


def make_field(code="DD", name="Đất đai"):
    return services.procedure_field_get_or_create(code=code, name=name)


def make_procedure(code=None, *, field=None, level="province", time_limit=3, **rules):
    return services.procedure_create(
        code=code or f"1.{next(_codes):06d}",
        name="Đăng ký biến động quyền sử dụng đất",
        field=field or make_field(),
        level=level,
        time_limit=time_limit,
        time_limit_kind=rules.pop("time_limit_kind", TimeLimitKind.WORKING_DAYS),
        **rules,
    )


def make_dossier(procedure, unit, *, received_at=None, code=None, **kwargs):
    return services.dossier_create(
        code=code or f"HS-{next(_codes):07d}",
        procedure=procedure,
        unit=unit,
        channel=kwargs.pop("channel", Channel.IN_PERSON),
        received_at=received_at or at(2026, 3, 16),
        **kwargs,
    )
