"""Request helpers with no domain of their own."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    """The client's address, trusting X-Forwarded-For only for the configured proxies.

    Behind N trusted proxies the client is the N-th address from the right; trusting the
    left-most one would let anyone pick their own address and dodge the login lockout.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
