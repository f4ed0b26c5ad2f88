"""Whether the services the app leans on answer now: for `/healthz` and the live room's page."""

from __future__ import annotations

import threading

import redis
from flask import current_app

#: Seconds to wait for Redis before calling it unavailable: a health check or a page that asks
#: must answer quickly, also when Redis does not.
REDIS_TIMEOUT = 1.0
_redis_clients: dict[str, redis.Redis] = {}
_redis_clients_lock = threading.Lock()


def _redis_client(url: str) -> redis.Redis:
    """One client (with its connection pool) per URL, reused across requests."""
    with _redis_clients_lock:
        client = _redis_clients.get(url)
        if client is None:
            client = redis.Redis.from_url(
                url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
            )
            _redis_clients[url] = client
        return client


def redis_available(url: str | None = None) -> bool:
    """Whether the configured Redis (REDIS_URL, the scaled mode) answers; True without one."""
    url = url if url is not None else current_app.config.get("REDIS_URL")
    if not url:
        return True
    try:
        return bool(_redis_client(url).ping())
    except (redis.RedisError, OSError):
        return False
