"""Scaled mode: with REDIS_URL set, rate limits live in Redis and count across processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("PLC_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# One app process: migrate a shared SQLite file, then try to log in `attempts` times.
PROCESS = """
import json, sys
import flask_migrate
from plc import create_app
from plc.extensions import limiter

url, instance, prefix, attempts = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
app = create_app({
    "TESTING": True, "SECRET_KEY": "only-for-tests-" + "x" * 32, "SQLALCHEMY_DATABASE_URI": url,
    "WTF_CSRF_ENABLED": False, "RATELIMIT_KEY_PREFIX": prefix,
}, instance_path=instance)
with app.app_context():
    flask_migrate.upgrade()
client = app.test_client()
codes = [
    client.post("/inloggen", data={"email": "druk@example.org", "password": "verkeerd-wachtwoord-1"}).status_code
    for _ in range(attempts)
]
print(json.dumps({"storage": type(limiter.storage).__name__, "codes": codes}))
"""


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def _run_process(tmp_path: Path, prefix: str, attempts: int) -> dict:
    env = {**os.environ, "REDIS_URL": REDIS_URL, "PLC_ENV": "testing"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            PROCESS,
            f"sqlite:///{tmp_path / 'shared.sqlite3'}",
            str(tmp_path),
            prefix,
            str(attempts),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_login_limits_count_across_two_processes_through_redis(tmp_path):
    from tests.conftest import require_service

    require_service(_redis_available(), f"Redis is not reachable at {REDIS_URL}")
    import redis

    prefix = f"plc-test-{uuid.uuid4().hex[:8]}"
    try:
        first = _run_process(tmp_path, prefix, 3)
        second = _run_process(tmp_path, prefix, 3)
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
    assert first["storage"] == "RedisStorage"
    assert first["codes"] == [200, 200, 200]
    # The per-account limit is 5 a minute: the other process has already used 3 of them.
    assert second["codes"] == [200, 200, 429]
