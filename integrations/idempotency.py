"""The `Idempotency-Key` header of the API's writes.

    @idempotent
    def create(self, request, *args, **kwargs): ...

A write sent with the header runs inside one transaction together with the insert of its
record (credential, key): a retry that comes after the first committed gets the stored answer
(`Idempotent-Replayed: true`) and writes nothing; a retry racing the first waits on the unique
index until the first commits, then gets the same stored answer; a first attempt that fails
(validation, a refused transition, a crash) stores nothing, so it can be retried as it was.
The same key with another method, path or body is refused with 422.
"""

from __future__ import annotations

import hashlib
import json
from functools import wraps

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.response import Response

from integrations.models import ApiToken, IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = gettext_lazy(
        "This Idempotency-Key was already used for another request: use a new key."
    )


def _credential(request) -> str:
    if isinstance(request.auth, ApiToken):
        return f"token:{request.auth.pk}"
    return f"user:{request.user.pk}"


def _request_hash(request) -> str:
    data = request.data
    if hasattr(data, "lists"):  # a QueryDict (form or multipart): every value of every key
        data = dict(data.lists())
    files = sorted(
        (name, upload.name, upload.size)
        for name, uploads in getattr(request.FILES, "lists", dict)()
        for upload in uploads
    )
    canonical = json.dumps(
        {"data": data, "files": files}, sort_keys=True, cls=DjangoJSONEncoder, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(record: IdempotentRequest, method: str, path: str, digest: str) -> Response:
    if (record.method, record.path, record.request_hash) != (method, path, digest):
        raise IdempotencyKeyReused()
    return Response(record.response, status=record.status_code, headers={
        "Idempotent-Replayed": "true"
    })  # fmt: skip


def idempotent(handler):
    @wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(self, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise exceptions.ValidationError(
                {HEADER: [_("Send 1 to 255 printable characters, such as a UUID.")]}
            )
        credential, method, path = _credential(request), request.method, request.path
        digest = _request_hash(request)
        known = IdempotentRequest.objects.filter(credential=credential, key=key).first()
        if known is not None:
            return _replay(known, method, path, digest)
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    credential=credential,
                    key=key,
                    method=method,
                    path=path[:500],
                    request_hash=digest,
                    status_code=0,
                )
                response = handler(self, request, *args, **kwargs)
                if response.status_code >= 300:  # not a success: nothing kept, retry freely
                    transaction.set_rollback(True)
                    return response
                record.status_code = response.status_code
                record.response = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
                record.save(update_fields=["status_code", "response"])
        except IntegrityError:
            # Another request with this key committed first (we waited on its row): its answer.
            known = IdempotentRequest.objects.filter(credential=credential, key=key).first()
            if known is None:
                raise
            return _replay(known, method, path, digest)
        return response

    return wrapper
