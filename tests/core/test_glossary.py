"""The glossary (core/glossary.py) holds: one Vietnamese term per concept, in the catalogue, in
the Vietnamese written into templates, mails, Excel sheets and code, and on docs/glossary.md."""

from pathlib import Path

import pytest

from core import glossary

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
# Where the portal's own Vietnamese words live. Tests, migrations, the benchmarks and the demo
# data (text a user would type: a task title quoting a real directive) are not its words.
SKIPPED_PARTS = {".venv", "var", "tests", "migrations", "benchmarks", "static", "node_modules"}
MARKER = "glossary: accepts"


def _source_files():
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in (".py", ".html", ".txt") or not path.is_file():
            continue
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIPPED_PARTS or path.name.startswith("demo") or path.name == "glossary.py":
            continue
        yield path


def test_every_translation_naming_a_concept_uses_its_term():
    # Given the catalogue as the portal ships it
    messages = glossary.read_catalogue(CATALOGUE)
    assert len(messages) > 1000  # the reader really read it
    # When each translation is checked against the glossary
    problems = glossary.catalogue_problems(messages)
    # Then none leaves out its concept's term or uses a forbidden variant
    assert problems == [], "\n".join(problems)


def test_no_vietnamese_written_in_code_or_templates_uses_a_forbidden_variant():
    # Given every template, mail and module that writes Vietnamese itself (official reports,
    # import headers, mail bodies)
    problems = []
    for path in _source_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            # A line may carry (or follow) the marker: an old spelling an import still accepts.
            if MARKER in line or (number > 1 and MARKER in lines[number - 2]):
                continue
            for term, variant in glossary.forbidden_in(line):
                where = path.relative_to(ROOT)
                problems.append(f"{where}:{number}: {variant!r}, say {term.vietnamese!r}")
    # Then none uses a variant the glossary forbids
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("msgid", "msgstr", "complaint"),
    [
        ("Save draft", "Lưu nháp", "does not say 'bản nháp'"),
        ("Draft", "Dự thảo", "says 'dự thảo'"),
        ("Evidence", "Tài liệu kiểm chứng", "does not say 'minh chứng'"),
        ("Done on time", "Hoàn thành đúng hạn", "does not say 'đã hoàn thành đúng hạn'"),
        ("In progress, overdue", "Đang thực hiện, quá hạn", "says 'đang thực hiện, quá hạn'"),
        ("Late without an apology", "Trễ hạn, chưa có phiếu xin lỗi", "says 'trễ hạn'"),
    ],
)
def test_the_check_catches_each_kind_of_drift(msgid, msgstr, complaint):
    # Given a translation that drifted from the glossary; when it is checked
    problems = glossary.catalogue_problems([glossary.Message(msgid, (msgstr,), 1)])
    # Then the check names what is wrong
    assert any(complaint in problem for problem in problems), problems


def test_a_placeholder_is_not_a_word_and_another_concept_is_left_alone():
    # "%(task)s" is a value, and "Result returned" is a dossier handed back, not a return
    messages = [
        glossary.Message("Overdue since %(deadline)s: %(task)s", ("Quá hạn từ %(deadline)s",), 1),
        glossary.Message("Result returned", ("Đã trả kết quả",), 2),
    ]
    assert glossary.catalogue_problems(messages) == []


def test_the_catalogue_reader_joins_wrapped_strings_and_plurals(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: vi\\n"\n\n'
        '#: a.py:1\nmsgid ""\n"Submit the "\n"report"\nmsgstr "Gửi "\n"báo cáo"\n\n'
        'msgid "%(n)s draft"\nmsgid_plural "%(n)s drafts"\nmsgstr[0] "%(n)s bản nháp"\n',
        encoding="utf-8",
    )
    messages = glossary.read_catalogue(po)
    assert [(m.msgid, m.msgstrs) for m in messages] == [
        ("Submit the report", ("Gửi báo cáo",)),
        ("%(n)s draft", ("%(n)s bản nháp",)),
    ]


def test_the_glossary_page_is_generated_from_the_data():
    # Given docs/glossary.md; then it is exactly what `make glossary` writes from TERMS
    page = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert page == glossary.render_markdown(), "run `make glossary` after changing TERMS"
    for term in glossary.TERMS:
        assert f"**{term.vietnamese}**" in page


def test_one_english_word_for_two_concepts_gets_a_context():
    # "Open" is the state of an assignment nobody acted on and the button that opens a row
    from django.utils import translation

    from tasks.status import WorkflowState

    with translation.override("vi"):
        assert str(WorkflowState.OPEN.label) == "Đang mở"
        assert translation.gettext("Open") == "Xem"
