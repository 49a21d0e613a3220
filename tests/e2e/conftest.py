"""Browser helpers: log a user in a fresh context of the `browser` fixture (tests/conftest.py)."""

from __future__ import annotations

PASSWORD = "pw-for-tests-1"


def login(browser, base_url: str, username: str, password: str = PASSWORD):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


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
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    page.wait_for_load_state("networkidle")
    return page


def htmx_settled(page) -> None:
    """Wait until htmx has sent, swapped and settled every request of the page.

    Not Playwright's networkidle: once a page has been idle, `wait_for_load_state("networkidle")`
    returns at once, before a later htmx response is swapped in. htmx marks each phase with a
    class (request, swapping, settling), so the page is settled when none is left.
    """
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
