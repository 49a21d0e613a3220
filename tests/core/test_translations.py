"""The Vietnamese catalogue: every entry translated, none fuzzy or twice, and the compiled .mo the
portal reads says exactly what the .po says (parallel branches append to the .po and compile)."""

from __future__ import annotations

import ast
import gettext
import shutil
import subprocess  # nosec B404: msgfmt, a fixed command on a file of the repository
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"
PO, MO = CATALOGUE / "django.po", CATALOGUE / "django.mo"


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The key gettext looks the entry up by."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def read_po(path: Path) -> list[Entry]:
    """The .po's live entries (obsolete `#~` ones left out), header included."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            text = ast.literal_eval(line)
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += text
            else:
                setattr(current, name, getattr(current, name) + text)
            continue
        text = ast.literal_eval(rest)
        if keyword in ("msgctxt", "msgid") and (
            current is None or keyword == "msgctxt" or current.msgstr
        ):
            current = Entry(line=number, flags=flags)
            entries.append(current)
            flags = set()
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current.msgstr[index] = text
            target = ("msgstr", index)
        else:
            setattr(current, keyword, text)
            target = (keyword, None)
    return entries


def test_every_entry_is_translated_once_and_none_is_fuzzy():
    entries = [entry for entry in read_po(PO) if entry.msgid]  # the header has an empty msgid
    untranslated = [e for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    seen: dict[str, int] = {}
    twice = []
    for entry in entries:
        if entry.key in seen:
            twice.append(f"line {entry.line} (first at {seen[entry.key]}): {entry.msgid!r}")
        seen.setdefault(entry.key, entry.line)
    assert not untranslated, [f"line {e.line}: {e.msgid!r}" for e in untranslated]
    assert not fuzzy, [f"line {e.line}: {e.msgid!r}" for e in fuzzy]
    assert not twice, twice


def test_the_compiled_catalogue_says_what_the_po_says():
    with MO.open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    stale = []
    for entry in read_po(PO):
        if not entry.msgid:
            continue
        if entry.msgid_plural is None:
            found = catalog.get(entry.key)
            if found != entry.msgstr.get(0):
                stale.append(f"line {entry.line}: {entry.msgid!r} -> .mo has {found!r}")
        else:
            for index, text in entry.msgstr.items():
                found = catalog.get((entry.key, index))
                if found != text:
                    stale.append(f"line {entry.line}: {entry.msgid!r}[{index}] -> {found!r}")
    assert not stale, "django.mo is older than django.po: run msgfmt (COMMON.md)\n" + "\n".join(
        stale
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_msgfmt_accepts_the_catalogue(tmp_path):
    # --check also compares the %(name)s placeholders of each msgid and its translation
    result = subprocess.run(  # nosec B603 B607
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
