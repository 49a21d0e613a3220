"""The navigation menu and each role's start page.

Each app declares its entries as `nav_entries` on its AppConfig, so adding an app adds its menu
items without editing this module. The home page sends a role to the entry that names it in
`start_for` with the highest `start_priority`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import reverse

from core.roles import Role, has_role

ALL_ROLES: tuple[str, ...] = tuple(Role.values)


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: tuple[str, ...] = ALL_ROLES
    order: int = 100
    start_for: tuple[str, ...] = field(default=())
    start_priority: int = 0
    group: str | None = None  # the navbar group; by default the app's nav_group or verbose_name
    # The navbar's text when the entry stands alone in its group: the menu must fit one line at
    # 1366 px for every role, so long page names ("Nhiệm vụ của đơn vị") get a short form there.
    nav_label: str | None = None


def all_entries() -> list[MenuEntry]:
    entries: list[MenuEntry] = []
    for config in apps.get_app_configs():
        entries.extend(getattr(config, "nav_entries", ()))
    return sorted(entries, key=lambda entry: entry.order)


@dataclass
class MenuGroup:
    """One item of the navbar: a plain link when it holds one entry, else a drop-down."""

    label: str
    links: list[tuple[str, str]] = field(default_factory=list)
    # The navbar's text of a one-entry group (its entry's nav_label, else its label).
    text: str = ""


def menu_for(user) -> list[MenuGroup]:
    """The user's menu, one group per app (or per `nav_group` an app names), in entry order."""
    groups: dict[str, MenuGroup] = {}
    for config in apps.get_app_configs():
        app_label = str(getattr(config, "nav_group", config.verbose_name))
        for entry in getattr(config, "nav_entries", ()):
            if has_role(user, *entry.roles):
                label = str(entry.group) if entry.group is not None else app_label
                group = groups.setdefault(label, MenuGroup(label))
                short = str(entry.nav_label) if entry.nav_label is not None else str(entry.label)
                group.links.append((entry.order, str(entry.label), reverse(entry.url_name), short))
    ordered = sorted(groups.values(), key=lambda group: min(link[0] for link in group.links))
    for group in ordered:
        links = sorted(group.links)
        group.text = links[0][3] if len(links) == 1 else group.label
        group.links = [(text, url) for _order, text, url, _short in links]
    return ordered


def start_page_for(user) -> str:
    role = Role.HOME_AFFAIRS if user.is_superuser else getattr(user, "role", "")
    candidates = [entry for entry in all_entries() if role in entry.start_for]
    if not candidates:
        return reverse("password_change")
    best = max(candidates, key=lambda entry: entry.start_priority)
    return reverse(best.url_name)
