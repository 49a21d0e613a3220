"""The portal's Vietnamese words: one term per concept, checked against the catalogue.

TERMS is the glossary's data. tests/core/test_glossary.py reads it to check that every
translation whose English source names a concept uses that concept's term, that no Vietnamese
text (catalogue, templates, mails, Excel headers, API messages) uses a forbidden variant, and
that docs/glossary.md is this module's rendering: `python -m core.glossary > docs/glossary.md`
(or `make glossary`) after changing TERMS.

Pure Python on purpose: no Django, so the check and the rendering run anywhere.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Term:
    concept: str
    # Case-insensitive pattern over msgids: a source string it matches names the concept.
    english: str
    vietnamese: str
    # The short form a label or a sentence may use once the context is set ("văn bản" for
    # "văn bản chỉ đạo" in a directive list's column).
    short: str = ""
    # The English source strings as people meet them (for the glossary page).
    sources: str = ""
    where: str = ""
    # Variants nobody may use, anywhere: patterns over Vietnamese text (case-insensitive).
    forbidden: tuple[str, ...] = ()
    # Source strings that match `english` but name another concept ("Result returned" is a
    # dossier handed back to the citizen, not a report returned to its unit).
    exclude: str = ""
    note: str = ""


TERMS: tuple[Term, ...] = (
    Term(
        concept="draft",
        english=r"\bdrafts?\b",
        vietnamese="bản nháp",
        sources="Draft, draft, Save draft, The draft was saved., Draft (self-scoring)",
        where="progress reports (tasks), PAR self-assessments (indicators)",
        forbidden=(r"dự thảo", r"(?<!bản )\bnháp\b", r"đang soạn thảo"),
        note="A draft directive is still a “dự thảo” in the law, but the portal only holds "
        "issued directives: every draft it keeps is a unit's unsent work.",
    ),
    Term(
        concept="submit, submitted",
        english=r"\bsubmit(s|ted|ting)?\b",
        vietnamese="gửi",
        sources="Submit, Submitted, Submit report, The report was submitted.",
        where="progress reports, self-assessments, mails",
        forbidden=(r"\bnộp báo cáo\b", r"trình duyệt"),
        note="“Nộp” is the citizen's verb for a dossier (nộp hồ sơ), never a unit's report.",
    ),
    Term(
        concept="returned (to the unit)",
        english=r"\breturn(s|ed|ing)?\b",
        vietnamese="trả lại",
        sources="Returned, Return to the unit, Reason returned",
        where="task workflow: Home Affairs refuses a reported completion",
        exclude=r"result returned|return time",
        forbidden=(r"hoàn trả", r"từ chối xác nhận"),
    ),
    Term(
        concept="confirm, confirmed",
        english=r"\bconfirm(s|ed|ation)?\b",
        vietnamese="xác nhận",
        sources="Confirm completion, Confirmed, Awaiting confirmation",
        where="task workflow: Home Affairs accepts a reported completion",
        forbidden=(r"phê duyệt hoàn thành", r"kiểm duyệt"),
    ),
    Term(
        concept="assignment",
        english=r"\bassignments?\b",
        vietnamese="nhiệm vụ được giao",
        short="nhiệm vụ",
        sources="assignment, Assignments, The assignment was updated.",
        where="task lists, workflow messages, change history",
        forbidden=(r"\bgiao việc\b", r"công việc được giao"),
        note="One unit's share of a task.",
    ),
    Term(
        concept="task",
        english=r"\btasks?\b",
        vietnamese="nhiệm vụ",
        sources="Task, Tasks of my unit, Key task",
        where="directives, plans, dashboards, reports",
        exclude=r"background tasks?\b|\btask id\b|celery",
        forbidden=(r"đầu việc",),
    ),
    Term(
        concept="lead unit",
        english=r"\blead\b",
        vietnamese="đơn vị chủ trì",
        short="chủ trì",
        sources="Lead unit, Lead",
        where="task form, lists, official report",
        forbidden=(r"đơn vị chính\b", r"đơn vị thực hiện chính"),
    ),
    Term(
        concept="cooperating unit",
        english=r"cooperat",
        vietnamese="đơn vị phối hợp",
        short="phối hợp",
        sources="Cooperating units, Cooperating",
        where="task form, lists, official report",
        forbidden=(r"đơn vị cộng tác", r"đơn vị tham gia"),
    ),
    Term(
        concept="deadline",
        english=r"\bdeadlines?\b",
        vietnamese="thời hạn",
        short="hạn",
        sources="Deadline, New deadline, Self-scoring deadline",
        where="tasks, extensions, PAR self-scoring, notifications",
        forbidden=(r"hạn chót",),
        note="“Hạn” in compounds: trong hạn, quá hạn, đến hạn, hạn tự chấm điểm.",
    ),
    Term(
        concept="evidence",
        english=r"\bevidence\b",
        vietnamese="minh chứng",
        sources="Evidence, Evidence file, Evidence required",
        where="progress reports, PAR self-assessment lines, framework import",
        forbidden=(r"tài liệu kiểm chứng", r"tài liệu chứng minh"),
    ),
    Term(
        concept="dossier",
        english=r"\bdossiers?\b",
        vietnamese="hồ sơ",
        sources="Dossier, Dossiers, Dossier code",
        where="dossier pages, imports, notifications, statistics report",
        note="Of an administrative procedure: “hồ sơ thủ tục hành chính” (menu: “Hồ sơ TTHC”).",
    ),
    Term(
        concept="administrative procedure",
        english=r"\bprocedures?\b",
        vietnamese="thủ tục hành chính",
        short="thủ tục",
        sources="Procedure, Administrative procedures, Procedure code",
        where="procedure catalogue, dossiers",
        note="Abbreviated TTHC in menus (“Hồ sơ TTHC”).",
    ),
    Term(
        concept="directive",
        english=r"\bdirectives?\b",
        vietnamese="văn bản chỉ đạo",
        short="văn bản",
        sources="Directive, Directives, New directive",
        where="directive pages, task lists, official report",
        exclude=r"\(CT\)",
        forbidden=(r"văn bản điều hành",),
        note="Directive (CT) is the document type “Chỉ thị”, another concept.",
    ),
    Term(
        concept="self-assessment",
        english=r"\bself-(assess|scor)",
        vietnamese="tự chấm điểm",
        sources="PAR Index self-assessment, Submit the self-assessment, Self-scoring deadline",
        where="PAR Index (indicators), unit dashboard",
        forbidden=(r"tự đánh giá",),
        note="“Điểm tự chấm” (the self-assessed score) and the scoring sheet's column “Tự chấm” "
        "name the score, not the stage.",
    ),
    Term(
        concept="appraisal",
        english=r"\bapprais",
        vietnamese="thẩm định",
        sources="Appraisal round 1, Appraiser's note, Appraised lines",
        where="PAR Index (indicators)",
        forbidden=(r"thẩm tra điểm", r"đánh giá lại điểm"),
    ),
    Term(
        concept="status: done on time",
        english=r"\bdone on time\b",
        vietnamese="đã hoàn thành đúng hạn",
        sources="Done on time, done on time",
        where="task status (badges, filters, dashboards, exports, mails, official report)",
        forbidden=(r"(?<!đã )(?<!\w)hoàn thành đúng hạn",),
    ),
    Term(
        concept="status: done late",
        english=r"\bdone late\b",
        vietnamese="đã hoàn thành quá hạn",
        sources="Done late, done late",
        where="task status",
        forbidden=(r"(?<!đã )(?<!\w)hoàn thành quá hạn", r"hoàn thành trễ hạn"),
    ),
    Term(
        concept="status: in progress within the deadline",
        english=r"\bin progress,? within",
        vietnamese="đang thực hiện trong hạn",
        sources="In progress, within deadline",
        where="task status",
        forbidden=(r"đang thực hiện, trong hạn",),
    ),
    Term(
        concept="status: in progress overdue",
        english=r"\bin progress,? overdue",
        vietnamese="đang thực hiện quá hạn",
        sources="In progress, overdue",
        where="task status",
        forbidden=(r"đang thực hiện, quá hạn", r"quá hạn chưa hoàn thành"),
    ),
    Term(
        concept="status: dossier pending within the deadline",
        english=r"\bpending,? within",
        vietnamese="đang giải quyết trong hạn",
        sources="Pending within the deadline, Pending, within the deadline",
        where="dossier timeliness (lists, dashboards, statistics report, aggregate rows)",
        forbidden=(r"đang giải quyết, trong hạn",),
    ),
    Term(
        concept="status: dossier pending overdue",
        english=r"\bpending,? overdue",
        vietnamese="đang giải quyết quá hạn",
        sources="Pending overdue, Pending, overdue",
        where="dossier timeliness",
        forbidden=(r"đang giải quyết, quá hạn",),
    ),
    Term(
        concept="PAR Index",
        english=r"\bPAR[- ]Index\b|\bPAR score",
        vietnamese="Chỉ số CCHC",
        sources="PAR Index, PAR-Index ranking, PAR Index self-assessment",
        exclude=r"(?-i:^PAR INDEX$)",  # the Ministry's published index, a kind of its own
        where="indicators, dashboards, ranking report",
        forbidden=(r"chỉ số cải cách hành chính",),
        note="Written “Chỉ số CCHC” (capital C); “PAR INDEX” only for the Ministry's published "
        "figure beside it.",
    ),
    Term(
        concept="late (dossier)",
        english=r"\blate\b",
        vietnamese="quá hạn",
        sources="Late, Finished late, Late without an apology",
        where="dossier timeliness, apology letters",
        exclude=r"\bdone late\b",
        forbidden=(r"trễ hạn",),
    ),
    Term(
        concept="apology letter",
        english=r"\bapolog",
        vietnamese="phiếu xin lỗi",
        sources="Apology sent, Register the apology letter, Late without an apology",
        where="late dossiers",
        forbidden=(r"văn bản xin lỗi", r"thư xin lỗi"),
        note="In full “Phiếu xin lỗi và hẹn lại ngày trả kết quả”.",
    ),
    Term(
        concept="deadline extension",
        english=r"\bextension",
        vietnamese="gia hạn",
        sources="Extension requests, The extension was approved.",
        where="task workflow",
        forbidden=(r"lùi hạn", r"dời hạn"),
    ),
    Term(
        concept="reporting period",
        english=r"\breporting periods?\b",
        vietnamese="kỳ báo cáo",
        sources="reporting period, Choose the reporting period.",
        where="recurring tasks, reports",
    ),
    Term(
        concept="CCHC area",
        english=r"\bCCHC areas?\b",
        vietnamese="lĩnh vực CCHC",
        sources="CCHC area, Completion by CCHC area",
        where="tasks, dashboards, official report",
    ),
    Term(
        concept="key task",
        english=r"\bkey tasks?\b",
        vietnamese="nhiệm vụ trọng tâm",
        sources="Key task",
        where="task form, lists",
    ),
    Term(
        concept="expected output",
        english=r"\bexpected output\b",
        vietnamese="sản phẩm",
        sources="Expected output",
        where="task form, lists, import",
    ),
)


# --- The catalogue ----------------------------------------------------------------------------

_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")$')


@dataclass(frozen=True)
class Message:
    msgid: str
    msgstrs: tuple[str, ...]
    line: int


def read_catalogue(path: Path) -> list[Message]:
    """The .po file's translated messages (plain blocks; comments and the header skipped)."""
    messages = []
    fields: dict[str, str] = {}
    start = key = None

    def close():
        if fields.get("msgid"):
            strs = tuple(v for k, v in sorted(fields.items()) if k.startswith("msgstr"))
            messages.append(Message(fields["msgid"], strs, start or 0))
        fields.clear()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        match = _LINE.match(line)
        if match:
            if match.group(1) in ("msgctxt", "msgid") and any(
                k.startswith("msgstr") for k in fields
            ):
                close()
            if match.group(1) == "msgid":
                start = number
            key = match.group(1)
            fields[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            fields[key] += ast.literal_eval(line)
        elif not line or line.startswith("#"):
            if any(k.startswith("msgstr") for k in fields):
                close()
            key = None
    close()
    return messages


# "%(deadline)s", "{task}", "%s": a value put in, not a word of the sentence.
_PLACEHOLDER = re.compile(r"%\([^)]*\)[a-z]|%[a-z]|\{[^}]*\}")


def _lower(text: str) -> str:
    return _PLACEHOLDER.sub(" ", unicodedata.normalize("NFC", text)).lower()


def names(term: Term, msgid: str) -> bool:
    """Whether the English source string names the term's concept."""
    msgid = _PLACEHOLDER.sub(" ", msgid)
    if not re.search(term.english, msgid, re.IGNORECASE):
        return False
    return not (term.exclude and re.search(term.exclude, msgid, re.IGNORECASE))


def forbidden_in(text: str) -> Iterator[tuple[Term, str]]:
    """Each (term, variant) a Vietnamese text uses against the glossary."""
    lowered = _lower(text)
    for term in TERMS:
        for pattern in term.forbidden:
            match = re.search(pattern, lowered)
            if match:
                yield term, match.group(0)


def catalogue_problems(messages: list[Message]) -> list[str]:
    """Every translation that leaves out its concept's term or uses a forbidden variant."""
    problems = []
    for message in messages:
        for msgstr in message.msgstrs:
            if not msgstr:
                continue
            for term in TERMS:
                said = _lower(msgstr)
                forms = [_lower(form) for form in (term.vietnamese, term.short) if form]
                if names(term, message.msgid) and not any(form in said for form in forms):
                    problems.append(
                        f"line {message.line}: {message.msgid!r} -> {msgstr!r} "
                        f"does not say {term.vietnamese!r} ({term.concept})"
                    )
            for term, variant in forbidden_in(msgstr):
                problems.append(
                    f"line {message.line}: {msgstr!r} says {variant!r}, the glossary's "
                    f"{term.concept!r} is {term.vietnamese!r}"
                )
    return problems


# --- The page ---------------------------------------------------------------------------------

HEADER = """# Glossary of the portal's Vietnamese terms

One concept, one Vietnamese term, in every template, mail, Excel sheet and API message. A
short form, where there is one, is the same term cut once the context is clear (a column
"Văn bản" in a list of directives), never a different word.
This page is generated from `core/glossary.py` (`make glossary`); edit the data there, not here.
`tests/core/test_glossary.py` checks the catalogue (`locale/vi/LC_MESSAGES/django.po`): every
translation whose English source string names a concept uses its term, and no Vietnamese text in
the catalogue, the templates or the code uses a forbidden variant.

| concept | English source strings | Vietnamese term | short form | not to be used | where |
|---|---|---|---|---|---|
"""


def _variant(pattern: str) -> str:
    """A forbidden pattern as people read it: "(?<!đã )hoàn thành đúng hạn" is "“hoàn thành
    đúng hạn” without “đã”"."""
    missing = [m.strip() for m in re.findall(r"\(\?<!([^)]*)\)", pattern) if m.strip("\\w ")]
    words = re.sub(r"\(\?<?[!=][^)]*\)|\\b", "", pattern).replace("\\", "")
    shown = f"“{words}”"
    if missing:
        shown += " without " + " ".join(f"“{m}”" for m in missing)
    return shown


def render_markdown() -> str:
    rows = []
    notes = []
    for term in TERMS:
        forbidden = ", ".join(_variant(p) for p in term.forbidden) or "–"
        rows.append(
            f"| {term.concept} | {term.sources} | **{term.vietnamese}** | {term.short or '–'} "
            f"| {forbidden} | {term.where} |"
        )
        if term.note:
            notes.append(f"- **{term.concept}**: {term.note}")
    page = HEADER + "\n".join(rows) + "\n"
    if notes:
        page += "\n## Notes\n\n" + "\n".join(notes) + "\n"
    return page


if __name__ == "__main__":
    print(render_markdown(), end="")  # noqa: T201
