"""Vietnamese text folding for diacritic-free search ("so noi vu" finds "Sở Nội vụ")."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q

# đ/Đ are letters of their own, not d plus a mark, so NFD leaves them alone.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """Lower case, strip combining marks, đ -> d, collapse white space."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def fold_join(*parts: str | None) -> str:
    """The search_text of a row: its searchable fields folded and joined."""
    return " | ".join(fold(part) for part in parts if part)


def search_words_q(query: str | None, *fields: str) -> Q:
    """The filter of a free-text search over folded search_text columns: every word of the
    folded query, in any order, is contained in one of `fields` ("cong van 2718" finds
    "2718/UBND-NC", a công văn). Q() (no filter) for an empty query."""
    condition = Q()
    for word in fold(query).split():
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__contains": word})
        condition &= any_field
    return condition


_DIGITS = re.compile(r"(\d+)")
NATURAL_KEY_LENGTH = 128


def natural_key(text: str | int | None) -> str:
    """A sort key in which numbers sort as numbers: "2" < "2.1" < "10" (as text: "10" < "2").
    Each run of digits is zero-padded to 6 places; the rest is folded. Stored beside the text
    it sorts (e.g. Task.item_order), so SQL orders by it."""
    parts = _DIGITS.split(fold(str(text)) if text is not None else "")
    key = "".join(part.zfill(6) if part.isdigit() else part for part in parts)
    return key[:NATURAL_KEY_LENGTH]
