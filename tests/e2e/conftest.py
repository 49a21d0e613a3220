"""Shared browser fixtures: Debian's chromium driven by Playwright, skipped outside CI when no
chromium is installed (under CI=true a missing browser is a failure)."""

from __future__ import annotations

import os
import shutil
from importlib import import_module

import pytest
from django.db import transaction

PASSWORD = "pw-for-tests-1"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no chromium is installed")
        pytest.skip("chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are safe.
    # (Module-scoped: one browser per module, so a module-scoped fixture cannot use monkeypatch.)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def login(browser, base_url: str, username: str, password: str = PASSWORD):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


DEMO_PERSONAS = ("noivu", "lanhdao", "truong.stp", "cv.stp", "truong.xdongson", "cv.xdongson")
DEMO_DOSSIERS = 600  # enough for every dossier figure and list to have rows


def load_small_demo() -> None:
    """Every app's demo data, as `load_demo` builds it, with a few hundred dossiers."""
    from django.apps import apps
    from django.core.cache import cache

    from directives.models import CchcArea

    # A transactional test before this one flushed the areas the migration seeds.
    areas = import_module("directives.migrations.0002_cchc_areas").AREAS
    for code, name in areas:
        CchcArea.objects.get_or_create(code=code, defaults={"name": name})
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        with transaction.atomic():
            module.load(count=DEMO_DOSSIERS) if config.name == "dossiers" else module.load()
    cache.clear()


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo province served by a live server for a whole module: its tests read the same
    data without a flush between them (building it takes a while). Flushed when the module ends,
    with the seeded areas put back, so later tests start from the migrated database."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.test.testcases import LiveServerThread

    with django_db_blocker.unblock():
        load_small_demo()
        server = LiveServerThread("localhost", StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            yield f"http://{server.host}:{server.port}"
        finally:
            server.terminate()
            call_command("flush", interactive=False, verbosity=0)
            areas = import_module("directives.migrations.0002_cchc_areas").AREAS
            from directives.models import CchcArea

            CchcArea.objects.bulk_create([CchcArea(code=c, name=n) for c, n in areas])


def demo_login(browser, base_url: str, username: str, viewport=(1366, 768)):
    """A fresh browser context logged in as a demo persona (password DEMO_PASSWORD)."""
    from django.conf import settings

    context = browser.new_context(
        locale="vi-VN", viewport={"width": viewport[0], "height": viewport[1]}
    )
    page = context.new_page()
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page
