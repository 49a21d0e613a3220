"""The documentation a clone carries: README.md and docs/*.md point only at files in the
repository (a clone has no ../shared), and every relative link opens a file that exists."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target) and [text]: target; images too.
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|^\[[^\]]+\]:\s*(\S+)", re.MULTILINE)


def _relative_links(page: Path) -> list[str]:
    targets = [a or b for a, b in LINK.findall(page.read_text(encoding="utf-8"))]
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t) and t[0] != "#"]


def test_the_docs_pages_exist():
    names = {page.name for page in PAGES}
    assert {"README.md", "architecture.md", "domain.md", "style.md", "glossary.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_a_page_points_nowhere_outside_the_repository(page):
    text = page.read_text(encoding="utf-8")
    assert "../shared" not in text
    for target in _relative_links(page):
        resolved = (page.parent / target.split("#")[0]).resolve()
        assert resolved.is_relative_to(ROOT), f"{page.name} links outside the repository: {target}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_opens_an_existing_file(page):
    missing = [
        target
        for target in _relative_links(page)
        if not (page.parent / target.split("#")[0]).exists()
    ]
    assert missing == []


def test_the_readme_links_every_docs_page():
    links = set(_relative_links(ROOT / "README.md"))
    for page in PAGES[1:]:
        assert f"docs/{page.name}" in links, f"README.md does not link docs/{page.name}"


def test_the_link_reader_finds_relative_links_and_skips_urls(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "See [a](docs/a.md#part), [b](https://example.org), [c](#top) and\n[d]: ../shared/X.md\n",
        encoding="utf-8",
    )
    assert _relative_links(page) == ["docs/a.md#part", "../shared/X.md"]
