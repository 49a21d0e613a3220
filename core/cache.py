"""A Redis cache that fails open.

The portal caches only what it can compute again (dashboard panels, import progress, the
working-day version, API throttle counters). When Redis is unreachable, a plain RedisCache
raises on every call and turns those pages into 500s; this one answers as an empty cache
instead (a get misses, a set is dropped), logs the outage, and the page is computed, slower.
The health check still sees the outage: its probe value cannot be read back.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Errors that mean "Redis is not there", not a programming error: those still raise.
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
# One warning per this many seconds per process, so an outage does not flood the log.
LOG_EVERY_SECONDS = 60.0
_last_logged = 0.0


def _log_outage(operation: str, exc: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning("cache unavailable (%s: %s); serving without the cache", operation, exc)


def _fail_open(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except OUTAGE_ERRORS as exc:
                _log_outage(method.__name__, exc)
                return default(*args, **kwargs) if callable(default) else default

        return wrapper

    return decorate


def _given_default(key, default=None, version=None):
    return default


class ResilientRedisCache(RedisCache):
    add = _fail_open(False)(RedisCache.add)
    get = _fail_open(_given_default)(RedisCache.get)
    set = _fail_open(None)(RedisCache.set)
    touch = _fail_open(False)(RedisCache.touch)
    delete = _fail_open(False)(RedisCache.delete)
    get_many = _fail_open(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _fail_open(False)(RedisCache.has_key)
    set_many = _fail_open(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    delete_many = _fail_open(None)(RedisCache.delete_many)
    clear = _fail_open(False)(RedisCache.clear)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except OUTAGE_ERRORS as exc:
            _log_outage("incr", exc)
            return delta
