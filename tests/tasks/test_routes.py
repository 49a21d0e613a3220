"""The task routes live in the tasks app; their addresses stayed where links point."""

import ast
import pathlib

from django.conf import settings
from django.urls import resolve, reverse


def test_a_directives_task_pages_keep_their_addresses_and_are_routed_by_tasks():
    # given the four pages of a directive's tasks, now routed by tasks/urls.py
    # then their addresses are the ones links and bookmarks already use
    assert reverse("tasks:plan_entry", args=[7]) == "/van-ban/7/nhiem-vu/"
    assert reverse("tasks:plan_add_task", args=[7]) == "/van-ban/7/nhiem-vu/them/"
    assert reverse("tasks:task_import", args=[7]) == "/van-ban/7/nhap-excel/"
    assert reverse("tasks:task_import_template") == "/van-ban/nhap-excel/mau.xlsx"
    assert resolve("/van-ban/7/nhiem-vu/").func.__module__ == "tasks.views"
    # and the directives' own pages are still the directives app's
    assert resolve("/van-ban/7/").func.__module__ == "directives.views"


def test_the_directives_app_imports_no_view_or_route_of_tasks():
    # a lower layer must not route an upper layer's views (issue #18)
    root = pathlib.Path(settings.BASE_DIR) / "directives"
    offending = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {f"{node.module}.{alias.name}" for alias in node.names}
                if any(n.startswith(("tasks.views", "tasks.urls")) for n in names | {node.module}):
                    offending.append(str(path))
            elif isinstance(node, ast.Import):
                if any(a.name.startswith(("tasks.views", "tasks.urls")) for a in node.names):
                    offending.append(str(path))
    assert offending == []
