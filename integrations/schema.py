"""How drf-spectacular documents the portal's API tokens and the Idempotency-Key header."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.tokens.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A token Home Affairs made for this integration on the portal's 'API tokens' "
                "page (cchc_xxxxxxxx.xxxx...), limited to some resource groups and to reading "
                "unless it may write. Send `Authorization: Bearer <token>`."
            ),
        }


IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string (a UUID) chosen by the caller for this write. A retry with the same "
        "key (same credential, method and path, same body) answers the first answer again, "
        "with the header `Idempotent-Replayed: true`, and writes nothing twice; the same key "
        "with another body is refused with 422. Keys are kept for IDEMPOTENCY_KEY_HOURS."
    ),
)
