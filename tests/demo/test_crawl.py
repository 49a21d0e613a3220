"""Every role's day on the demo province: each persona starts at "/" and follows every link a
person can reach within two clicks, plus every list's export links. No page may answer 500, no
link a page shows may answer 404, and no page may show English, an ISO date, a dot-decimal percentage, "None"/"True"/"False", an empty
choice "---------" or an internal key where a person reads.

One test per persona; its failure lists every failing URL with the reason, so one run says
everything there is to fix.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.demo.conftest import PERSONAS
from tests.demo.pages import read_page, squeeze

CLICKS = 2  # links followed from the start page
MAX_URLS = 400  # per persona: the crawl stays bounded however many links the pages grow
# Of one view with the same query parameters (say /nhiem-vu/<pk>/ or ?unit=<id>), two instances
# show whether it works; the rest repeat it (the drill-down contract checks every dashboard link).
MAX_PER_SHAPE = 2
# Dashboards link one list under many filter sets; past this many shapes the list is known.
MAX_SHAPES_PER_VIEW = 8
EXCLUDED_PREFIXES = (
    "/dang-xuat/", "/static/", "/media/", "/quan-tri/", "/api/v1/docs", "/api/v1/schema",
)  # fmt: skip
PAGINATION = {"page", "cursor", "after"}

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DOT_PERCENT = re.compile(r"\b\d+\.\d+ ?%")
PYTHON_VALUES = re.compile(r"\b(None|True|False)\b|-{5,}")
# snake_case keys (done_on_time, period_start) and `key = value` pairs (finished = 2.452)
INTERNAL_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b[a-z]+ = ")

# English a person would notice: function words and the portal's own UI words. Vietnamese words
# written without marks that are also English words (an, in, do, to ...) are left out; proper
# names and international abbreviations are allowed below.
ENGLISH_WORDS = {
    "the", "of", "and", "with", "for", "is", "are", "not", "yes", "none", "all", "any",
    "or", "this", "that", "your", "you", "has", "have", "was", "will", "can", "please",
    "from", "by", "per", "list", "export", "filter", "filters", "search", "status", "unit",
    "units", "task", "tasks", "report", "reports", "page", "next", "previous", "first", "last",
    "select", "save", "cancel", "submit", "delete", "edit", "add", "new", "back", "view",
    "open", "close", "show", "hide", "total", "date", "name", "title", "type", "year", "month",
    "day", "days", "week", "file", "files", "download", "upload", "import", "user", "users",
    "login", "logout", "sign", "password", "notification", "notifications", "settings",
    "help", "error", "warning", "due", "deadline", "overdue", "done", "draft", "submitted",
    "approved", "rejected", "returned", "pending", "progress", "completed", "finished",
    "directive", "directives", "assessment", "assessments", "score", "ranking", "dossier",
    "dossiers", "procedure", "procedures", "indicator", "indicators", "area", "areas", "plan",
    "number", "summary", "details", "detail", "more", "late", "early", "received", "rate",
    "count", "value", "empty", "nothing", "found", "results", "clear", "reset", "apply",
    "sort", "unknown", "other", "my", "on time", "in progress", "no", "dashboard",
    "history", "changes", "created", "updated", "online", "province", "commune", "department",
    "breadcrumb", "navigation", "menu", "toggle", "loading", "required", "optional", "skip",
    "content", "main", "superuser", "true", "false",
}  # fmt: skip
_ALTERNATIVES = "|".join(sorted((re.escape(w) for w in ENGLISH_WORDS), key=len, reverse=True))
ENGLISH = re.compile(rf"\b({_ALTERNATIVES})\b", re.IGNORECASE)
# Proper names and abbreviations that are Vietnamese usage too.
ALLOWED_TOKENS = (
    "PAR INDEX", "PAR Index", "SIPAS", "PAPI", "PCI", "Excel", "CSV", "PDF", "API", "Swagger",
)  # fmt: skip


@dataclass(frozen=True)
class Visit:
    url: str
    depth: int
    source: str  # the page that links here, to tell where a broken link is shown
    export: bool = False


def _key(url: str) -> str:
    """Same page = same path and query, whatever the order of the parameters and the page."""
    parts = urlsplit(url)
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in PAGINATION
    )
    return f"{parts.path}?{urlencode(query)}"


def _view(url: str) -> str:
    """The view a URL opens, with its non-numeric path arguments (e.g. which list an export
    exports): /nhiem-vu/12/ and /nhiem-vu/40/ are one view, two exports are two."""
    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name + "".join(
        f"/{value}" for value in match.kwargs.values() if not str(value).isdigit()
    )


def _shape(url: str, export: bool) -> str:
    """What a URL exercises: its view, which query parameters it sets and the column it sorts
    by. An export exercises its list's rows in a format: the list's filters are the page's."""
    query = [
        (k, v)
        for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)
        if k not in PAGINATION
    ]
    if export:
        return f"{_view(url)}?format={dict(query).get('format', '')}"
    names = sorted({k for k, _v in query if k != "sort"})
    sort = sorted({v.lstrip("-") for k, v in query if k == "sort"})
    return f"{_view(url)}?{','.join(names)}&sort={','.join(sort)}"


def _same_site(href: str, base: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    absolute = urljoin(f"http://testserver{base}", href)
    parts = urlsplit(absolute)
    if parts.netloc != "testserver":
        return None
    if parts.path.startswith(EXCLUDED_PREFIXES):
        return None
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _is_export(href: str, text: str) -> bool:
    """An export link: 'Xuất Excel'/'CSV' buttons, export URLs (xuat-excel, .xlsx, ?export=)."""
    href, text = href.lower(), text.lower()
    return any(word in href for word in ("export", "xuat", ".xlsx", ".csv", "format=csv")) or any(
        word in text for word in ("xuất", "excel", "csv")
    )


def text_problems(text: str) -> list[str]:
    """What a reader must never see in a page's text (one reason per kind, with examples)."""
    problems = []
    for label, pattern in (
        ("ISO date", ISO_DATE),
        ("dot-decimal percentage", DOT_PERCENT),
        ("Python value or empty choice", PYTHON_VALUES),
        ("internal key", INTERNAL_KEY),
    ):
        found = sorted({m.group(0) for m in pattern.finditer(text)})
        if found:
            problems.append(f"{label}: {', '.join(found[:8])}")
    english = text
    for token in ALLOWED_TOKENS:
        english = english.replace(token, " ")
    words = sorted({m.group(0).lower() for m in ENGLISH.finditer(english)})
    if words:
        lines = [line for line in text.split("\n") if ENGLISH.search(line)]
        problems.append(f"English {words} in {[squeeze(line)[:80] for line in lines[:5]]}")
    return problems


def crawl(client, persona: str) -> tuple[list[str], int]:
    """Walk the persona's pages; returns (failures, pages fetched)."""
    failures: list[str] = []
    start = client.get("/", follow=True)
    start_path = start.wsgi_request.get_full_path()
    queue: deque[Visit] = deque([Visit("/", 0, "(login)"), Visit(start_path, 0, "/")])
    seen: set[str] = set()
    shapes: dict[str, int] = {}  # URLs fetched per shape
    views: dict[str, int] = {}  # shapes fetched per view
    fetched = 0
    while queue and fetched < MAX_URLS:
        visit = queue.popleft()
        key = _key(visit.url)
        if key in seen:
            continue
        seen.add(key)
        shape, view = _shape(visit.url, visit.export), _view(visit.url)
        if shapes.get(shape, 0) >= MAX_PER_SHAPE:
            continue
        if shape not in shapes and views.get(view, 0) >= MAX_SHAPES_PER_VIEW:
            continue
        views[view] = views.get(view, 0) + (shape not in shapes)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(visit.url)
        fetched += 1
        where = f"{persona} {visit.url} (linked from {visit.source})"
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            cause = f" {error[0].__name__}: {error[1]}" if error else ""
            failures.append(f"{where}: HTTP {response.status_code}{cause}")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            target = _same_site(response["Location"], visit.url)
            if target:
                queue.appendleft(Visit(target, visit.depth, visit.url, visit.export))
            continue
        if response.status_code == 404 and visit.depth > 0:
            failures.append(f"{where}: HTTP 404, a link to a page that is not there")
            continue
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        html = b"".join(response.streaming_content) if response.streaming else response.content
        page = read_page(html.decode(response.charset or "utf-8"))
        for problem in text_problems(page.visible_text):
            failures.append(f"{where}: {problem}")
        for href, text in page.links:
            target = _same_site(href, visit.url)
            if target is None:
                continue
            if visit.depth < CLICKS:
                queue.append(Visit(target, visit.depth + 1, visit.url, _is_export(href, text)))
            elif _is_export(href, text):
                queue.append(Visit(target, visit.depth + 1, visit.url, export=True))
    if queue and fetched >= MAX_URLS:
        failures.append(
            f"{persona}: the crawl stopped at {MAX_URLS} URLs with {len(queue)} still queued "
            "(raise MAX_URLS or collapse more query shapes)"
        )
    return failures, fetched


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_page_within_two_clicks_answers_and_reads_as_vietnamese(persona, persona_client):
    client = persona_client(PERSONAS[persona])
    client.raise_request_exception = False  # a 500 is reported with the others, not raised
    began = time.monotonic()
    failures, fetched = crawl(client, persona)
    elapsed = time.monotonic() - began
    assert fetched > 10, f"{persona}: only {fetched} pages reached from the start page"
    assert not failures, (
        f"{len(failures)} problems on {fetched} URLs ({elapsed:.0f} s):\n" + "\n".join(failures)
    )
