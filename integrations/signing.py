"""Webhook signatures, for the portal and for the systems that receive its webhooks.

Each delivery is a POST of a JSON body with these headers:

    X-CCHC-Event: report.submitted
    X-CCHC-Delivery: 42                 (the same on every retry of one delivery: dedupe by it)
    X-CCHC-Timestamp: 1767225600        (Unix seconds when this attempt was signed)
    X-CCHC-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the hook's secret>

A receiver recomputes the HMAC over the raw body bytes exactly as received, compares it in
constant time, and refuses a timestamp older than a few minutes (a replayed request):

    from integrations.signing import verify
    if not verify(secret, headers["X-CCHC-Timestamp"], raw_body, headers["X-CCHC-Signature"]):
        return 401

`verify` needs only the standard library: copy this module into the receiving system.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_PREFIX = "sha256="
DEFAULT_TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The X-CCHC-Signature header value for this body at this timestamp."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify(
    secret: str,
    timestamp: int | str,
    body: bytes,
    signature: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """True when `signature` is this body's at this timestamp and the timestamp is recent."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent, body), str(signature or ""))
