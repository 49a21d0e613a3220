"""In headless Chromium, on the demo province, as each of the six personas: the menu fits one
line at 1366x768; no main page scrolls sideways on a 390 px phone; axe-core finds no serious or
critical violation on any main page (every menu entry, the start page, the notifications and one
detail page of each kind the role reaches from them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.conftest import DEMO_PERSONAS, demo_login

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
# One detail page of each kind, found among the links of the role's menu pages.
DETAIL_PAGES = {
    "directive": r"/van-ban/\d+/",
    "plan grid": r"/van-ban/\d+/nhiem-vu/",
    "assignment": r"/nhiem-vu/\d+/",
    "dossier": r"/ho-so/\d+/",
    "dossier import": r"/ho-so/nhap/\d+/",
    "unit": r"/don-vi/\d+/",
    "unit import": r"/don-vi/nhap/\d+/",
    "unit dashboard": r"/bao-cao/don-vi/\d+/",
    "PAR assessment": r"/chi-so-cchc/cham-diem/\d+/",
    "PAR framework": r"/chi-so-cchc/bo-chi-so/\d+/",
}
# The page's own width: a wide table scrolls inside its box and does not count.
SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"
# What sticks out of the window, outside any box that scrolls: tells the reader what to fix.
OFFENDERS = """() => {
  const width = window.innerWidth, found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.getBoundingClientRect().right <= width + 1) continue;
    let box = el.parentElement, clipped = false;
    while (box) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(box).overflowX)) {
        clipped = true; break;
      }
      box = box.parentElement;
    }
    if (!clipped) found.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && el.className.baseVal === undefined ? '.' + el.className : ''));
  }
  return found.slice(0, 5);
}"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3)
      .map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n')[1])
      .join(' | '));
}"""


def _main_pages(page, base_url: str) -> list[str]:
    """The start page, every menu entry, the notifications, then one detail page of each kind
    linked from them (paths)."""
    start = page.url.removeprefix(base_url)
    menu = page.eval_on_selector_all(
        "nav a.nav-link[href^='/'], nav a.dropdown-item[href^='/']",
        "links => links.map(link => link.getAttribute('href'))",
    )
    pages = list(dict.fromkeys([start, *menu, "/thong-bao/"]))
    found: dict[str, str] = {}
    for path in list(pages):
        page.goto(base_url + path)
        for href in page.eval_on_selector_all(
            "main a[href^='/']", "links => links.map(link => link.getAttribute('href'))"
        ):
            href = href.split("?")[0].split("#")[0]
            for kind, pattern in DETAIL_PAGES.items():
                if kind not in found and re.fullmatch(pattern, href):
                    found[kind] = href
    return pages + list(found.values())


@pytest.mark.parametrize("username", DEMO_PERSONAS)
def test_each_main_page_fits_a_phone_and_passes_axe_and_the_menu_fits_one_line(
    demo_site, browser, username
):
    # given the persona logged in on a 1366x768 screen
    page = demo_login(browser, demo_site, username)
    ARTIFACTS.mkdir(exist_ok=True)

    # then the navbar is expanded and every item of it sits on one line
    assert page.locator("nav .navbar-toggler").is_hidden()
    items = page.locator("nav .navbar-nav > .nav-item")
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    assert len({round(box["y"]) for box in boxes}) == 1, boxes
    link_height = page.locator("nav .navbar-nav > .nav-item > .nav-link").first.bounding_box()
    navbar = page.locator("nav.navbar").bounding_box()
    # one line of links plus the navbar's padding: a second line would add a link's height
    assert navbar["height"] < 2 * link_height["height"], (navbar, link_height)
    page.screenshot(path=str(ARTIFACTS / f"menu-1366-{username}.png"))

    # when each main page is opened
    problems: list[str] = []
    pages = _main_pages(page, demo_site)
    assert len(pages) >= 8, pages  # the menu, the start page and several detail pages
    axe_source = AXE.read_text()
    for path in pages:
        page.set_viewport_size({"width": 1366, "height": 768})
        response = page.goto(demo_site + path)
        page.wait_for_load_state("networkidle")
        if response.status != 200:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        # axe runs through the debugging protocol: the page's CSP forbids inline scripts
        page.evaluate(axe_source + "\n;0")
        problems.extend(f"{path}: {violation}" for violation in page.evaluate(AXE_RUN))
        # then on a 390 px phone the page itself never scrolls sideways
        page.set_viewport_size({"width": 390, "height": 844})
        overflow = page.evaluate(SIDEWAYS)
        if overflow > 0:
            problems.append(f"{path}: {overflow}px sideways at 390px, {page.evaluate(OFFENDERS)}")
    page.screenshot(path=str(ARTIFACTS / f"phone-390-{username}.png"), full_page=True)
    page.context.close()

    assert problems == []
