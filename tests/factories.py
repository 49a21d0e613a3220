import factory

from core.roles import Role
from organizations.models import OrgUnit, UnitKind, UnitLevel, User


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    kind = UnitKind.DEPARTMENT
    level = UnitLevel.PROVINCE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from organizations.services import unit_create

        return unit_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    role = Role.UNIT_STAFF
    unit = factory.SubFactory(OrgUnitFactory)
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# --- The two sibling units and their personas ---------------------------------------------
# Each built by one function, used by the fixtures of tests/conftest.py (one at a time, per
# test) and by `make_people` (all at once, for rows built once per module: module_rows.py).


def make_province():
    return OrgUnitFactory(
        code="UBND",
        name="Ủy ban nhân dân tỉnh",
        kind=UnitKind.PROVINCIAL_COMMITTEE,
        level=UnitLevel.PROVINCE,
    )


def make_home_affairs_unit(province):
    return OrgUnitFactory(code="SNV", name="Sở Nội vụ", short_name="SNV", parent=province)


def make_unit_a(province):
    return OrgUnitFactory(code="STC", name="Sở Tài chính", short_name="STC", parent=province)


def make_unit_b(province):
    return OrgUnitFactory(code="STP", name="Sở Tư pháp", short_name="STP", parent=province)


def make_sub_unit_a(unit_a):
    """A unit below unit A (a department's sub-department): the parent-unit scope's child."""
    return OrgUnitFactory(code="CCT", name="Chi cục Thuế", short_name="CCT", parent=unit_a)


def make_user(username: str, role: Role, unit):
    return UserFactory(username=username, role=role, unit=unit)


def make_people() -> dict:
    """Every unit and persona the fixtures below give, built at once, by fixture name."""
    province = make_province()
    home_affairs_unit = make_home_affairs_unit(province)
    unit_a, unit_b = make_unit_a(province), make_unit_b(province)
    sub_unit_a = make_sub_unit_a(unit_a)
    return {
        "province": province,
        "home_affairs_unit": home_affairs_unit,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "sub_unit_a": sub_unit_a,
        "home_affairs": make_user("home_affairs", Role.HOME_AFFAIRS, home_affairs_unit),
        "leader": make_user("leader", Role.LEADER, province),
        "head_a": make_user("head_a", Role.UNIT_HEAD, unit_a),
        "staff_a": make_user("staff_a", Role.UNIT_STAFF, unit_a),
        "head_sub_a": make_user("head_sub_a", Role.UNIT_HEAD, sub_unit_a),
        "head_b": make_user("head_b", Role.UNIT_HEAD, unit_b),
    }
