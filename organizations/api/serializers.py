from rest_framework import serializers

from organizations.models import OrgUnit, User


class OrgUnitSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(
        source="parent.code", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "parent",
            "parent_code",
            "valid_from",
            "valid_to",
        ]


class MeSerializer(serializers.ModelSerializer):
    unit = OrgUnitSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "position", "role", "unit"]
