"""Helpers every indicators service module shares: the save. (Who may do what is
indicators/policy.py.)"""

from __future__ import annotations


def save(instance, actor=None) -> None:
    """full_clean() then save, recording `actor` as the history row's user."""
    if actor is not None:
        instance._history_user = actor
    instance.full_clean()
    instance.save()
