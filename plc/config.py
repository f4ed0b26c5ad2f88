"""Settings from the environment.

Nothing secret has a default in code: the secret key comes from the environment, or is generated
once into the instance folder (mode 0600) for development. Production refuses to start without
an explicit secret key, or with debug on.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "production", "testing")
#: How Socket.IO serves connections: OS threads (the embedded `make run`), or gevent greenlets
#: (the scaled mode under `gunicorn --worker-class gevent`; the entry point monkey-patches).
ASYNC_MODES = ("threading", "gevent")


class ConfigError(RuntimeError):
    """The environment describes a configuration the app must not run with."""


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, whatever spelling the operator used."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(instance_path: Path, env: str) -> str:
    explicit = os.environ.get("SECRET_KEY")
    if explicit:
        return explicit
    if env == "production":
        raise ConfigError("PLC_ENV=production needs SECRET_KEY in the environment.")
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not both write a key.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def load_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config from the environment, then apply `overrides` (tests)."""
    overrides = overrides or {}
    env = overrides.get("PLC_ENV") or os.environ.get("PLC_ENV", "development")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"PLC_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}.")
    production = env == "production"
    default_db = f"sqlite:///{instance_path / 'plc.sqlite3'}"
    redis_url = os.environ.get("REDIS_URL") or None
    server_name = os.environ.get("SERVER_NAME", "127.0.0.1:5000")
    config: dict[str, Any] = {
        "PLC_ENV": env,
        "DEBUG": _flag("FLASK_DEBUG"),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL", default_db)
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Not Flask's SERVER_NAME: that would also change routing. This one only builds the
        # links that leave the site (mail), so a forged Host header can never reach a mail.
        "PLC_SERVER_NAME": server_name,
        "PREFERRED_URL_SCHEME": os.environ.get(
            "PREFERRED_URL_SCHEME", "https" if production else "http"
        ),
        # How many proxies (nginx: 1) stand in front and set X-Forwarded-For and -Proto. Only
        # then are those headers believed: the client's address for the rate limits, https for
        # the CSRF and live-room origin checks. Without a proxy a client could forge them.
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        "REDIS_URL": redis_url,
        # Whole pages kept for anonymous visitors, per process (plc/core/pagecache.py): how many,
        # and how long at most. 0 entries turns the cache off.
        "PAGE_CACHE_ENTRIES": int(os.environ.get("PAGE_CACHE_ENTRIES", "1000")),
        "PAGE_CACHE_SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "60")),
        # Figures kept per process the same way (`pagecache.kept`: the dashboards'), for as
        # long at most; some 1–2 MB each for a large board. 0 turns it off.
        "KEPT_VALUES_ENTRIES": int(os.environ.get("KEPT_VALUES_ENTRIES", "50")),
        # The Redis channel the processes share live-room messages on. Socket.IO's channel
        # ignores the database number, so two installations on one Redis need different names.
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL", "leernetwerk-socketio"),
        # Read by wsgi.py too, before any import (gevent must patch first): see docs/deploy.md.
        "SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE", "threading"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis away must not turn requests into errors: the limits go on in each process's
        # memory, and Flask-Limiter returns to Redis when it answers again.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        # Per address and per account: schools put many teachers behind one address, so the
        # per-address limits are generous and the per-account ones strict.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "30/minute"),
        "LOGIN_ACCOUNT_RATE_LIMIT": os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "5/minute;20/hour"),
        "RESET_RATE_LIMIT": os.environ.get("RESET_RATE_LIMIT", "20/hour"),
        "RESET_ACCOUNT_RATE_LIMIT": os.environ.get("RESET_ACCOUNT_RATE_LIMIT", "3/hour"),
        "REGISTER_RATE_LIMIT": os.environ.get("REGISTER_RATE_LIMIT", "20/hour"),
        "MAX_CONTENT_LENGTH": int(os.environ.get("UPLOAD_MAX_MB", "50")) * 1024 * 1024,
        # Uploaded files: outside static/, under generated names (see plc/core/storage.py).
        "STORAGE_BACKEND": os.environ.get("STORAGE_BACKEND", "local"),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER") or str(instance_path / "uploads"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Leernetwerk Amsterdam <noreply@leernetwerk.localhost>"
        ),
        # thread: deliver right after the commit in a background thread (one process);
        # sync: deliver in the request thread (tests); cron: only `flask plc send-mail`.
        "MAIL_DELIVERY": os.environ.get("MAIL_DELIVERY", "thread"),
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", "5")),
        "PASSWORD_RESET_MAX_AGE": timedelta(hours=1),
        # The version of templates/pages/privacy.*.html, shown on it. Raising it asks everyone who
        # accepted an earlier version to read and accept this one (plc/auth/privacy_views.py).
        "PRIVACY_STATEMENT_VERSION": "2026-11",
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env != "development" and env != "testing",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env != "development" and env != "testing",
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    }
    config.update(overrides)
    config["SECRET_KEY"] = overrides.get("SECRET_KEY") or _secret_key(instance_path, env)
    if config["SOCKETIO_ASYNC_MODE"] not in ASYNC_MODES:
        raise ConfigError(f"SOCKETIO_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}.")
    if production and config["DEBUG"]:
        raise ConfigError("PLC_ENV=production refuses to run with debug on.")
    if production and "SERVER_NAME" not in os.environ:
        raise ConfigError("PLC_ENV=production needs SERVER_NAME for the links in e-mail.")
    return config
