import datetime

import factory

from core.text import natural_key
from directives.models import Directive
from tasks.models import Assignment, AssignmentRole, Task
from tests.factories import OrgUnitFactory


def province_unit():
    from organizations.models import OrgUnit

    return OrgUnit.objects.filter(code="UBND").first() or OrgUnitFactory(
        code="UBND", name="Ủy ban nhân dân tỉnh"
    )


class DirectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directive

    number = factory.Sequence(lambda n: f"{n + 1}/KH-UBND")
    issue_date = datetime.date(2026, 1, 10)
    summary = factory.Sequence(lambda n: f"Kế hoạch cải cách hành chính số {n}")
    issuer = factory.LazyFunction(lambda: province_unit())

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from directives.services import directive_create

        return directive_create(**kwargs)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    directive = factory.SubFactory(DirectiveFactory)
    item_number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Nhiệm vụ {n}")
    item_order = factory.LazyAttribute(lambda task: natural_key(task.item_number))
    expected_output = "Báo cáo"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    unit = factory.SubFactory(OrgUnitFactory)
    role = AssignmentRole.LEAD
