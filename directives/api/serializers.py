from rest_framework import serializers

from directives.models import CchcArea, Directive, DirectiveValidity, SigningMode
from organizations.models import OrgUnit


class DirectiveSerializer(serializers.ModelSerializer):
    issuer_code = serializers.CharField(
        source="issuer.code", default=None, allow_null=True, read_only=True
    )
    issuer_label = serializers.CharField(read_only=True)
    areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    implements = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Directive
        fields = [
            "id",
            "number",
            "shape",
            "serial",
            "doc_type",
            "year",
            "issue_date",
            "issuer",
            "issuer_code",
            "issuer_name",
            "issuer_label",
            "signer",
            "signer_position",
            "signing_mode",
            "summary",
            "areas",
            "implements",
            "validity",
        ]


class DirectiveWriteSerializer(serializers.Serializer):
    """What an integration sends to enter or change a directive; validated again, with the
    number's rules and the duplicate check, by directives.services."""

    number = serializers.CharField(max_length=64)
    issue_date = serializers.DateField()
    summary = serializers.CharField()
    issuer = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True
    )
    issuer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    signer = serializers.CharField(max_length=150, required=False, allow_blank=True)
    signer_position = serializers.CharField(max_length=150, required=False, allow_blank=True)
    signing_mode = serializers.ChoiceField(choices=SigningMode.choices, required=False)
    validity = serializers.ChoiceField(choices=DirectiveValidity.choices, required=False)
    areas = serializers.SlugRelatedField(
        slug_field="code", queryset=CchcArea.objects.all(), many=True, required=False
    )
    implements = serializers.PrimaryKeyRelatedField(
        queryset=Directive.objects.all(), many=True, required=False
    )
