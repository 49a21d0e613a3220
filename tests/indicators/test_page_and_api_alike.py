"""One service per sheet action (issue 18): a cell written on the assessment sheet and the same
cell written through the API go through indicators' one `scoreline_write`, so they leave the
same line and the same history, and a refused value leaves the line untouched either way."""

import pytest
from django.urls import reverse

from tests.indicators.helpers import line

pytestmark = pytest.mark.django_db

# (name, who writes, criterion, the cell as the API sends it, the API's answer); the page
# sends the same cell, its decimal with a comma as typed in Vietnamese.
ACTIONS = [
    (
        "own score with a note",
        "head",
        "1.2",
        {"field": "self", "score": "14.5", "note": "Quý"},
        200,
    ),
    ("own score above the maximum", "head", "1.2", {"field": "self", "score": "30"}, 400),
    ("home affairs' survey score", "home_affairs", "2.1", {"field": "survey", "score": "48"}, 200),
    ("a unit's survey score", "head", "2.1", {"field": "survey", "score": "48"}, 403),
    ("explanation out of stage", "head", "1.2", {"field": "explanation", "explanation": "Có"}, 400),
]


def _as_typed(cell: dict) -> dict:
    return {**cell, **({"score": cell["score"].replace(".", ",")} if "score" in cell else {})}


def _outcome(target) -> dict:
    """The line's values and its history, without who the unit is."""
    target.refresh_from_db()
    values = ("self_score", "unit_note", "survey_score", "appraisal_1", "explanation")
    return {
        "line": tuple(getattr(target, name) for name in values),
        "history": [
            (h.history_type, *(getattr(h, name) for name in values))
            for h in target.history.order_by("history_date", "history_id")
        ],
    }


@pytest.mark.parametrize(
    ("name", "who", "code", "cell", "api_status"),
    ACTIONS,
    ids=[action[0] for action in ACTIONS],
)
def test_the_sheet_and_the_api_write_a_cell_alike(
    client_for,
    opened,
    head_a,
    head_b,
    home_affairs,
    name,
    who,
    code,
    cell,
    api_status,
):
    # given the same line on two units' draft assessments
    by_page, by_api = line(opened["STC"], code), line(opened["STP"], code)
    before = _outcome(by_api)
    # when the page writes one (unit A's head, or Home Affairs) and the API the other
    page_actor = home_affairs if who == "home_affairs" else head_a
    api_actor = home_affairs if who == "home_affairs" else head_b
    page = client_for(page_actor).post(
        reverse("indicators:line_update", args=[by_page.pk]), _as_typed(cell)
    )
    api = client_for(api_actor).post(
        reverse("score-line-score", args=[by_api.pk]), cell, content_type="application/json"
    )
    # then both leave the same line and history; a refusal leaves it as it was
    # (a refused person gets 403 on both, before anything is written)
    assert page.status_code == (403 if api_status == 403 else 302)
    assert api.status_code == api_status, api.content
    assert _outcome(by_page) == _outcome(by_api)
    assert (_outcome(by_api) != before) is (api_status == 200)
