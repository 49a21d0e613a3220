"""Read a list page as a user sees it: the filter bar's fields and values, the active filter tags,
the total. Built on the standard library's HTML parser (the hooks are those of
templates/includes/filter_bar.html and list_header.html)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class ListPage:
    # every named control of the filter bar -> the values it submits (selected options, text)
    fields: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[str, str] = field(default_factory=dict)  # control id -> its label's text
    control_ids: dict[str, str] = field(default_factory=dict)  # control name -> id
    options: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    tags: list[dict] = field(default_factory=list)  # {"param", "href", "text"}
    clear_all: str | None = None
    total: int | None = None
    total_text: str = ""
    sort_links: dict[str, str] = field(default_factory=dict)  # data-sort -> href
    submit_text: str = ""


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = ListPage()
        self.in_bar = False
        self.select: str | None = None
        self.option: dict | None = None
        self.label_for: str | None = None
        self.label_text = ""
        self.capture: dict | None = None  # an <a>/<p>/<button> whose text is wanted
        self.capture_text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "form" and "filter-bar" in classes:
            self.in_bar = True
        if self.in_bar:
            if tag == "input" and a.get("name"):
                kind = a.get("type", "text")
                if kind not in ("checkbox", "radio") or "checked" in a:
                    value = a.get("value") or ""
                    if value or kind != "hidden":
                        self.page.fields[a["name"]].append(value)
                    self.page.fields.setdefault(a["name"], [])
                if a.get("id"):
                    self.page.control_ids[a["name"]] = a["id"]
            elif tag == "select":
                self.select = a.get("name")
                self.page.fields.setdefault(self.select, [])
                if a.get("id"):
                    self.page.control_ids[self.select] = a["id"]
            elif tag == "option" and self.select:
                self.option = {"value": a.get("value", ""), "selected": "selected" in a}
                self.capture_text = ""
            elif tag == "label":
                self.label_for = a.get("for")
                self.label_text = ""
            elif tag == "button" and a.get("type") == "submit":
                self.capture = {"kind": "submit"}
                self.capture_text = ""
        if tag == "a" and "filter-tag" in classes:
            self.capture = {"kind": "tag", "param": a.get("data-param"), "href": a.get("href")}
            self.capture_text = ""
        elif tag == "a" and a.get("id") == "clear-filters":
            self.page.clear_all = a.get("href")
        elif tag == "a" and "sort-link" in classes:
            self.page.sort_links[a.get("data-sort")] = a.get("href")
        elif tag == "p" and a.get("id") == "list-total":
            self.page.total = int(a["data-total"])
            self.capture = {"kind": "total"}
            self.capture_text = ""

    def handle_endtag(self, tag):
        if tag == "form" and self.in_bar:
            self.in_bar = False
        elif tag == "option" and self.option is not None:
            text = " ".join(self.capture_text.split())
            self.page.options[self.select].append((self.option["value"], text))
            if self.option["selected"] and self.option["value"]:
                self.page.fields[self.select].append(self.option["value"])
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "label" and self.label_for:
            self.page.labels[self.label_for] = " ".join(self.label_text.split())
            self.label_for = None
        elif self.capture and tag in ("a", "p", "button"):
            text = " ".join(self.capture_text.split())
            kind = self.capture["kind"]
            if kind == "tag" and tag == "a":
                self.page.tags.append({**self.capture, "text": text})
                self.capture = None
            elif kind == "total" and tag == "p":
                self.page.total_text = text
                self.capture = None
            elif kind == "submit" and tag == "button":
                self.page.submit_text = text
                self.capture = None

    def handle_data(self, data):
        if self.option is not None or self.capture is not None:
            self.capture_text += data
        if self.label_for:
            self.label_text += data


def read_list_page(response) -> ListPage:
    parser = _Parser()
    parser.feed(response.content.decode())
    return parser.page
