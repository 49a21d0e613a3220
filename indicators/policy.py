"""Who may do what in the PAR-Index app, and in which stage: the ONE place these rules live.

Built on core.policy.Policy (read its docstring for the interface): services call
`require(actor, ACTION, assessment=...)` first; views are wrapped in `action_required(ACTION)`
(403 before the form or the file is read); templates read `allowed_actions(user, assessment)`
(`{% if allowed.submit %}`) and `board_allowed(user)`; the API's write permission is
`api_permission(...)` (indicators/api/views.py).

The self-assessment's stages (indicators.models.AssessmentStage): draft -> submitted (the unit
head) -> Home Affairs appraises round 1 and sends it back (explanation) -> the unit explains and
its head sends the explanation (round 2) -> Home Affairs appraises round 2 and finalises (final,
locked). The unit's head and staff score their own unit's draft and attach evidence; only the
head submits.

Scope of a parent unit (docs/domain.md, "Who sees which unit's work"): the head and staff of a
parent unit see their sub-units' assessments once past the draft stage, read only
(indicators.selectors.assessments_visible_to), never a draft, and never act for a sub-unit:
every unit action here asks for the user's own unit (a parent's POST on a sub-unit's line is a
403, and the sub-unit's sheet shows the parent no input and no button). The same holds for KPI
values: a unit enters its own unit's values only. Home Affairs and leadership see the province;
leadership only reads.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.policy import Policy
from core.roles import Role, has_role
from indicators.models import AssessmentStage

S = AssessmentStage

# --- The actions -------------------------------------------------------------------------------
# Home Affairs' work on the frameworks, the boards and the indices
FRAMEWORK_EDIT = "framework_edit"  # create, edit, bands, criteria, import, copy a framework
ASSESSMENTS_OPEN = "assessments_open"  # open a framework's assessments (locks the framework)
KPI_MANAGE = "kpi_manage"  # add a KPI target, import values, recompute a bound target
INDEX_IMPORT = "index_import"  # provincial index values (PAR INDEX, SIPAS, PAPI, PCI)
# A unit's work on its own self-assessment
SELF_SCORE = "self_score"  # a self score and note on a line, or imported from the sheet
EVIDENCE = "evidence"  # attach or delete an evidence file
EXPLAIN = "explain"  # the unit's explanation of a round-1 appraisal
SUBMIT = "submit"  # the head sends the self-assessment to Home Affairs
SUBMIT_EXPLANATION = "submit_explanation"  # the head sends the explanations: round 2 begins
# Home Affairs' appraisal
APPRAISE = "appraise"  # an appraisal score: round 1 while submitted, round 2 after explaining
SURVEY = "survey"  # the survey result of a survey line
FINISH_ROUND_1 = "finish_round_1"  # return round 1 to the unit for its explanation
FINALIZE = "finalize"  # close round 2: the scores lock
RECOMPUTE = "recompute"  # recompute the criteria scored from portal data
# A KPI value of a unit for a period: Home Affairs for any unit, a unit for its own
MEASUREMENT_RECORD = "measurement_record"

_HA = (Role.HOME_AFFAIRS,)
_UNIT = (Role.UNIT_HEAD, Role.UNIT_STAFF)

# action -> the roles that may do it (superusers pass every role check, see core.roles)
ROLES: dict[str, tuple[str, ...]] = {
    FRAMEWORK_EDIT: _HA,
    ASSESSMENTS_OPEN: _HA,
    KPI_MANAGE: _HA,
    INDEX_IMPORT: _HA,
    SELF_SCORE: _UNIT,
    EVIDENCE: _UNIT,
    EXPLAIN: _UNIT,
    SUBMIT: (Role.UNIT_HEAD,),  # staff score, the head submits
    SUBMIT_EXPLANATION: (Role.UNIT_HEAD,),
    APPRAISE: _HA,
    SURVEY: _HA,
    FINISH_ROUND_1: _HA,
    FINALIZE: _HA,
    RECOMPUTE: _HA,
    MEASUREMENT_RECORD: _HA + _UNIT,
}
# Actions on an assessment that only its own unit's people may do.
OWN_UNIT_ONLY = frozenset({SELF_SCORE, EVIDENCE, EXPLAIN, SUBMIT, SUBMIT_EXPLANATION})

# action -> the stages of the assessment it can be done in
STAGES: dict[str, tuple[str, ...]] = {
    SELF_SCORE: (S.DRAFT,),
    EVIDENCE: (S.DRAFT, S.EXPLANATION),
    EXPLAIN: (S.EXPLANATION,),
    SUBMIT: (S.DRAFT,),
    SUBMIT_EXPLANATION: (S.EXPLANATION,),
    APPRAISE: (S.SUBMITTED, S.ROUND_2),
    SURVEY: (S.DRAFT, S.SUBMITTED, S.EXPLANATION, S.ROUND_2),
    FINISH_ROUND_1: (S.SUBMITTED,),
    FINALIZE: (S.ROUND_2,),
    RECOMPUTE: (S.DRAFT, S.SUBMITTED, S.EXPLANATION, S.ROUND_2),
}


def _role_refusal(action: str) -> str:
    if action in OWN_UNIT_ONLY:
        return _("You may not do this on this assessment.")
    if action == MEASUREMENT_RECORD:
        return _("Only Home Affairs and the unit itself can enter its values.")
    return _("Only Home Affairs can do this.")


def _person_refusal(user, action: str, *, assessment=None, unit=None, **_objects) -> str | None:
    """After the role check: a unit's people act on their own unit's sheet and values only."""
    if action in OWN_UNIT_ONLY and (assessment is None or user.unit_id != assessment.unit_id):
        return _("You may not do this on this assessment.")
    if action == MEASUREMENT_RECORD and not has_role(user, *_HA):
        if unit is None or user.unit_id != unit.pk:
            return _("Only Home Affairs and the unit itself can enter its values.")
    return None


def _state_refusal(user, action: str, *, assessment=None, **_objects) -> str | None:
    """Why the assessment's stage forbids the action now, or None."""
    if action in STAGES and assessment is not None and assessment.stage not in STAGES[action]:
        return _("This cannot be done while the assessment is at stage '%(stage)s'.") % {
            "stage": assessment.get_stage_display()
        }
    return None


def _resolve(objects: dict) -> dict:
    """A score line or an evidence file names its assessment."""
    if objects.get("assessment") is None:
        if objects.get("evidence") is not None:
            objects["line"] = objects.get("line") or objects["evidence"].line
        if objects.get("line") is not None:
            objects["assessment"] = objects["line"].assessment
    return objects


POLICY = Policy(
    ROLES,
    role_refusal=_role_refusal,
    person=_person_refusal,
    state=_state_refusal,
    resolve=_resolve,
)
# The interface (core/policy.py): require(user, action, *, assessment=, line=, evidence=, unit=)
role_may = POLICY.role_may
require_person = POLICY.require_person
require = POLICY.require
may = POLICY.may
action_required = POLICY.action_required
api_permission = POLICY.api_permission

ASSESSMENT_ACTIONS = tuple(STAGES)
BOARD_ACTIONS = (FRAMEWORK_EDIT, ASSESSMENTS_OPEN, KPI_MANAGE, INDEX_IMPORT, MEASUREMENT_RECORD)


def allowed_actions(user, assessment) -> dict[str, bool]:
    """Every action this user may do on this assessment now, for the sheet's template:
    `allowed.self_score`, `allowed.submit`... Reads only the row's own fields (no query)."""
    return POLICY.allowed(user, ASSESSMENT_ACTIONS, assessment=assessment)


def board_allowed(user) -> dict[str, bool]:
    """The role part of the framework, KPI and index pages' buttons: `allowed.kpi_manage`.
    A unit's KPI value is then asked per unit by the service."""
    return {action: role_may(user, action) for action in BOARD_ACTIONS}
