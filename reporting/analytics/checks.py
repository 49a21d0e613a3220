"""The check of every analytics table against the live derivation (`check_analytics`)."""

from __future__ import annotations


def check_all(*, limit: int = 50) -> list[str]:
    from dossiers.rollups import rollup_check
    from reporting.analytics import status

    problems = status.check(limit=limit)
    problems += rollup_check(limit=limit)
    return problems[:limit]
