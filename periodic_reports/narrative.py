"""The narrative of a report pre-filled from its figures: for each of the eight CCHC areas the
results, the limitations and their causes, the tasks ahead and the proposals, as Vietnamese
sentences the officer then edits in the portal (the Ministry's outline)."""

from __future__ import annotations

from periodic_reports.text import day, num, pct

SECTION_KEYS = ("results", "limitations", "tasks_ahead", "proposals")
SECTION_TITLES = {
    "results": "Kết quả đạt được",
    "limitations": "Tồn tại, hạn chế và nguyên nhân",
    "tasks_ahead": "Nhiệm vụ trọng tâm kỳ tới",
    "proposals": "Đề xuất, kiến nghị",
}
# The CCHC areas whose results the dossier and directive figures belong to.
AREA_DIRECTION, AREA_PROCEDURES, AREA_DIGITAL = 1, 3, 7


def _task_sentence(row: dict, whom: str) -> str:
    if not row["total"]:
        return f"Trong kỳ, {whom} không có nhiệm vụ đến hạn thuộc lĩnh vực này."
    text = (
        f"Trong kỳ, {whom} có {num(row['total'])} nhiệm vụ; đã hoàn thành {num(row['done'])} "
        f"nhiệm vụ, đạt {pct(row['rate'])} ({num(row['done_on_time'])} nhiệm vụ đã hoàn thành "
        f"đúng hạn, {num(row['done_late'])} nhiệm vụ đã hoàn thành quá hạn)"
    )
    if row["in_progress"]:
        text += f"; {num(row['in_progress'])} nhiệm vụ đang thực hiện trong hạn"
    if row["overdue"]:
        text += f"; {num(row['overdue'])} nhiệm vụ đang thực hiện quá hạn"
    return text + "."


def _dossier_sentence(dossiers: dict) -> str:
    total = dossiers["total"]
    if not total["received"]:
        return "Trong kỳ không phát sinh hồ sơ thủ tục hành chính."
    text = (
        f"Tổng số hồ sơ thủ tục hành chính tiếp nhận là {num(total['received'])} hồ sơ "
        f"({num(total['received_new'])} hồ sơ mới, {num(total['carried_over'])} hồ sơ kỳ trước "
        f"chuyển qua); đã giải quyết {num(total['finished'])} hồ sơ, trong đó trước hạn "
        f"{num(total['early'])}, đúng hạn {num(total['on_time'])}, quá hạn {num(total['late'])}; "
        f"tỷ lệ giải quyết trước hạn và đúng hạn đạt {pct(total['on_time_rate'])}."
    )
    if dossiers["late_dossiers"]:
        text += (
            f" Có {num(dossiers['late_dossiers'])} hồ sơ quá hạn, đã gửi phiếu xin lỗi cho "
            f"{num(dossiers['apology_sent'])} hồ sơ."
        )
    return text


def _online_sentence(dossiers: dict) -> str:
    total = dossiers["total"]
    if not total["received_new"]:
        return ""
    levels = ", ".join(
        f"{row['label'].lower()} {pct(row['online_rate'])}" for row in dossiers["levels"]
    )
    text = f"Tỷ lệ hồ sơ tiếp nhận trực tuyến đạt {pct(total['online_rate'])}"
    if levels:
        text += f" ({levels})"
    text += f"; tỷ lệ thanh toán trực tuyến đạt {pct(total['online_payment_rate'])}."
    return text


def _overdue_sentence(overdue: list[dict], area_code) -> str:
    rows = [row for row in overdue if row["area"] == area_code]
    if not rows:
        return "Không có nhiệm vụ đang thực hiện quá hạn."
    named = "; ".join(
        f"“{row['title']}” ({row['unit']}, hạn {day(row['deadline'])})" for row in rows[:5]
    )
    more = f" và {num(len(rows) - 5)} nhiệm vụ khác" if len(rows) > 5 else ""
    return (
        f"Còn {num(len(rows))} nhiệm vụ đang thực hiện quá hạn: {named}{more}. "
        "Nguyên nhân: (đơn vị bổ sung)."
    )


def generate_sections(figures: dict, *, whom: str, quotes: dict | None = None) -> dict:
    """{area code (str): {section key: text}} for the eight areas, from the figures."""
    sections: dict[str, dict[str, str]] = {}
    for row in figures["tasks"]["by_area"]:
        if row["code"] is None:
            continue
        code = row["code"]
        results = [_task_sentence(row, whom)]
        if code == AREA_DIRECTION and figures["directives"]["total"]:
            results.append(
                f"Đã ban hành {num(figures['directives']['total'])} văn bản chỉ đạo, điều hành "
                "công tác cải cách hành chính."
            )
        if code == AREA_PROCEDURES:
            results.append(_dossier_sentence(figures["dossiers"]))
        if code == AREA_DIGITAL:
            online = _online_sentence(figures["dossiers"])
            if online:
                results.append(online)
        for quote in (quotes or {}).get(str(code), []):
            results.append(f"{quote['unit']}: {quote['text']}")
        ahead = "Tiếp tục triển khai các nhiệm vụ theo kế hoạch cải cách hành chính năm."
        unfinished = row["in_progress"] + row["overdue"]
        if unfinished:
            ahead = (
                f"Tập trung hoàn thành {num(unfinished)} nhiệm vụ chưa hoàn thành, ưu tiên các "
                "nhiệm vụ đang thực hiện quá hạn."
            )
        sections[str(code)] = {
            "results": " ".join(results),
            "limitations": _overdue_sentence(figures["tasks"]["overdue"], code),
            "tasks_ahead": ahead,
            "proposals": "",
        }
    return sections
