"""Reading a rendered page as its reader does: the text they see and the links they can follow.

Shared by the tests on the demo (crawl, drill-down contract). The standard library's HTML
parser is enough: the pages are our own templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Attributes whose text a person reads (tooltips, placeholders, screen-reader labels, images).
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Inputs that show their value as text: buttons, and text fields a page pre-fills (a filter's
# date from a dashboard link must read 31/03/2026 there too).
SHOWN_VALUE_INPUTS = {"submit", "button", "reset", "text", "search"}
SKIPPED_ELEMENTS = {"script", "style"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


@dataclass
class Page:
    text: list[str] = field(default_factory=list)  # each text node / read attribute, stripped
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, the link's own text)

    @property
    def visible_text(self) -> str:
        return "\n".join(self.text)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._skipping = 0
        self._open_links: list[list] = []  # [href, text pieces] of the <a> elements open

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in SKIPPED_ELEMENTS:
            self._skipping += 1
            return
        for name in READ_ATTRIBUTES:
            if attributes.get(name):
                self.page.text.append(attributes[name].strip())
        shown = attributes.get("type") or "text"
        if tag == "input" and shown in SHOWN_VALUE_INPUTS and attributes.get("value"):
            self.page.text.append(attributes["value"].strip())
        if tag == "a" and attributes.get("href"):
            self._open_links.append([attributes["href"], []])
        elif attributes.get("hx-get"):
            self.page.links.append((attributes["hx-get"], ""))

    def handle_endtag(self, tag):
        if tag in SKIPPED_ELEMENTS:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "a" and self._open_links:
            href, pieces = self._open_links.pop()
            self.page.links.append((href, " ".join(pieces)))

    def handle_data(self, data):
        if self._skipping:
            return
        text = data.strip()
        if text:
            self.page.text.append(text)
            for link in self._open_links:
                link[1].append(text)

    def close(self):
        super().close()
        for href, pieces in self._open_links:  # an <a> never closed still links
            self.page.links.append((href, " ".join(pieces)))


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


WHITESPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()
