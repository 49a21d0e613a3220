"""Ids and counters a template puts in a URL, a form value or an element id must not go through
number localization: with USE_THOUSAND_SEPARATOR the Vietnamese format prints 1234 as "1.234",
which a URL, a hidden field or `for=`/`id=` pairs then carry as a different value."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"\{\{\s*([^}]*?)\s*\}\}")
LOCALIZE_OFF = re.compile(r"\{% localize off %\}.*?\{% endlocalize %\}", re.S)
# The last part of a variable that names a row's id or a counter sent back to the server
ID_LIKE = re.compile(r"(^|[._])(pk|id|version|page_number)$")
SAFE_FILTERS = ("unlocalize", "stringformat", "urlencode")


def _templates():
    for path in sorted(ROOT.glob("*/templates/**/*.html")) + sorted(
        ROOT.glob("templates/**/*.html")
    ):
        if ".venv" not in path.parts:
            yield path


def test_no_template_prints_an_id_through_localization():
    offenders = []
    for path in _templates():
        text = LOCALIZE_OFF.sub("", path.read_text())
        for number, line in enumerate(text.splitlines(), 1):
            for expression in VARIABLE.findall(line):
                name = expression.split("|")[0].strip()
                if name.endswith(("auto_id", "id_for_label", "link_id")):
                    continue  # strings, not numbers
                if name.startswith("form."):
                    continue  # a form field: its widget renders it (hidden ones unlocalized)
                if ID_LIKE.search(name) and not any(f in expression for f in SAFE_FILTERS):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {{{{ {expression} }}}}")
    assert not offenders, "use |unlocalize:\n" + "\n".join(offenders)
