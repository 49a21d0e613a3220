"""In headless Chromium, on the demo province, as each of the six personas: the menu fits one
line at 1366x768; no main page scrolls sideways on a 390 px phone, where a list's rows are cards
with every cell on the screen; axe-core finds no serious or
critical violation on any main page (every menu entry, the start page, the notifications and one
detail page of each kind the role reaches from them).

axe reads a page's markup, which is one template whoever opens it: it runs on each address once
across the personas (the first to open it, in PERSONAS order, Home Affairs first), while the
phone width is checked on every page of every persona."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.demo.conftest import PERSONAS
from tests.e2e.conftest import demo_login, htmx_settled

pytestmark = pytest.mark.browser
AXE = Path(settings.BASE_DIR) / "tests" / "e2e" / "vendor" / "axe-core" / "axe.min.js"
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
# The addresses axe has checked, across this module's personas (see the module doc).
AXE_CHECKED: set[str] = set()
# The page's own width: a wide table scrolls inside its box and does not count.
SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"
# What sticks out of the window, outside any box that scrolls: tells the reader what to fix.
OFFENDERS = """() => {
  const width = window.innerWidth, found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.getBoundingClientRect().right <= width) continue;
    // an absolutely placed element escapes the scroll boxes outside its containing block
    const placed = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    let box = placed ? el.offsetParent : el.parentElement;
    let clipped = false;
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
# A list (templates/includes/column_table.html) on a phone: its rows are cards, so each cell of
# the first row (a task's deadline and status among them) is on the screen: the cells that are not.
CARD_CELLS_OFF_SCREEN = """() => {
  const cell = document.querySelector('table > tbody > tr > td[data-label]');
  if (!cell) return [];
  const row = cell.parentElement;
  return [...row.children].filter(cell => cell.getBoundingClientRect().right > window.innerWidth)
    .map(cell => cell.dataset.label || cell.textContent.trim().slice(0, 20));
}"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    resultTypes: ['violations'],
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  });
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3)
      .map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n')[1])
      .join(' | '));
}"""


def _menu_pages(page, base_url: str) -> list[str]:
    """The start page, every menu entry and the notifications (paths)."""
    start = page.url.removeprefix(base_url)
    menu = page.eval_on_selector_all(
        "nav a.nav-link[href^='/'], nav a.dropdown-item[href^='/']",
        "links => links.map(link => link.getAttribute('href'))",
    )
    return list(dict.fromkeys([start, *menu, "/thong-bao/"]))


def _detail_pages(page, found: dict[str, str]) -> list[str]:
    """The detail pages of kinds not seen yet that this page links to (recorded in `found`)."""
    new = []
    for href in page.eval_on_selector_all(
        "main a[href^='/']", "links => links.map(link => link.getAttribute('href'))"
    ):
        href = href.split("?")[0].split("#")[0]
        for kind, pattern in DETAIL_PAGES.items():
            if kind not in found and re.fullmatch(pattern, href):
                found[kind] = href
                new.append(href)
    return new


@pytest.mark.parametrize("username", PERSONAS.values())
def test_each_main_page_fits_a_phone_and_passes_axe_and_the_menu_fits_one_line(
    demo_live_server, browser, username
):
    # given the persona logged in on a 1366x768 screen
    base_url = demo_live_server.url
    page = demo_login(browser, base_url, username)
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
    pages = _menu_pages(page, base_url)
    found: dict[str, str] = {}
    axe_source = AXE.read_text()
    for path in pages:  # grows with the detail pages the menu pages link to
        # on a 390 px phone (loaded at that width, as a phone does: charts size themselves once)
        page.set_viewport_size({"width": 390, "height": 844})
        response = page.goto(base_url + path)
        htmx_settled(page)
        if response.status != 200:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        pages.extend(_detail_pages(page, found))
        # then the page itself never scrolls sideways
        overflow = page.evaluate(SIDEWAYS)
        if overflow > 0:
            problems.append(f"{path}: {overflow}px sideways at 390px, {page.evaluate(OFFENDERS)}")
        off_screen = page.evaluate(CARD_CELLS_OFF_SCREEN)
        if off_screen:
            problems.append(f"{path}: list cells off a 390px screen: {off_screen}")
        # and on the desktop screen axe finds nothing serious (it runs through the debugging
        # protocol: the page's CSP forbids inline scripts)
        if path in AXE_CHECKED:
            continue
        AXE_CHECKED.add(path)
        page.set_viewport_size({"width": 1366, "height": 768})
        page.evaluate(axe_source + "\n;0")
        problems.extend(f"{path}: {violation}" for violation in page.evaluate(AXE_RUN))
    page.screenshot(path=str(ARTIFACTS / f"phone-390-{username}.png"), full_page=True)
    page.context.close()

    assert problems == [], "\n".join(problems)
    # and the walk reached detail pages, not only the menu (a broken link hunt would stop short)
    assert {"assignment", "directive", "unit"} <= set(found), found
