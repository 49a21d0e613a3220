"""The change history of score lines shows only what a person can see change."""

from decimal import Decimal

from indicators.models import CriterionMethod
from indicators.services.assessments import SELF_SCORED, scoreline_self_score
from reporting.audit import audit_entries, audit_union


def test_a_first_recorded_change_lists_no_field_that_reads_the_same_before_and_after(
    opened, staff_a
):
    # given a score line the opening wrote without history (its figures are {}, no version
    # before), then scored by the unit: its first recorded version is a change
    line = (
        opened["STC"]
        .lines.filter(criterion__method__in=SELF_SCORED)
        .exclude(criterion__method=CriterionMethod.COMPUTED)
        .first()
    )
    scoreline_self_score(actor=staff_a, line=line, score=Decimal("0.5"))
    # when the change history reads it
    (entry,) = audit_entries(list(audit_union(models=["score"])))
    # then the figures, empty before and after, are not listed as "— → —"
    assert entry.changes
    assert all(change.old != change.new for change in entry.changes), entry.changes
