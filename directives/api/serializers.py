from rest_framework import serializers

from directives.models import Directive


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
