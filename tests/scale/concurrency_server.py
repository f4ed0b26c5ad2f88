"""The app as it is served, in a process of its own, and members who use it over HTTP.

- `serve(database_url)`: SQLite is the embedded mode, so it is served as `make run` serves it
  (`python wsgi.py`: Werkzeug, a thread per request); PostgreSQL is the scaled mode, so it is
  served as docs/deploy.md says (gunicorn, one gevent worker, `SOCKETIO_ASYNC_MODE=gevent`).
  Each backend thus meets the concurrency of the server it runs under in production.
- `Member`: one person's browser: its own cookies, a real login through the login form, CSRF
  tokens read from the pages, redirects not followed (the tests read where they point).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
#: A local server answers in milliseconds; these only bound how long a failure takes to show.
START_TIMEOUT = 60
REQUEST_TIMEOUT = 60

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: What the server logs when a request failed (a traceback, an error log line).
_PROBLEM = re.compile(r"Traceback|database is locked|error", re.IGNORECASE)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _command(database_url: str, port: int) -> tuple[list[str], dict[str, str]]:
    """The production command line for the backend of `database_url`, and its environment."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "SOCKETIO_ASYNC_MODE"}}
    env.update(
        PLC_ENV="testing",  # plain HTTP: cookies without the Secure flag
        SECRET_KEY="only-for-tests-" + "x" * 32,
        DATABASE_URL=database_url,
        MAIL_DELIVERY="cron",  # mail waits in the outbox, where the tests count it
        # Every member logs in from 127.0.0.1 within seconds; the per-address limit is for
        # guessing attacks, not for this.
        LOGIN_RATE_LIMIT="10000/minute",
    )
    if database_url.startswith("sqlite"):
        return [sys.executable, "wsgi.py"], {**env, "HOST": "127.0.0.1", "PORT": str(port)}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [
        gunicorn,
        "--worker-class",
        "gevent",
        "--workers",
        "1",
        "--worker-connections",
        "200",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "wsgi:app",
    ]
    return command, {**env, "SOCKETIO_ASYNC_MODE": "gevent"}


@contextmanager
def serve(database_url: str, log: Path) -> Iterator[Server]:
    """The app serving `database_url` (already migrated) until the block ends; what it writes to
    stderr goes to the file `log` (a pipe nobody reads would stall it once full)."""
    port = _free_port()
    command, env = _command(database_url, port)
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=sink)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


class Server:
    def __init__(self, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.url = url
        self.process = process
        self.log_file = log

    @property
    def log(self) -> str:
        return self.log_file.read_text(errors="replace")

    def problems(self, since: int = 0) -> list[str]:
        """Lines after the first `since` characters of the log that tell of a failure."""
        return [line for line in self.log[since:].splitlines() if _PROBLEM.search(line)]

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(self.log[-3000:])
            try:
                with requests.get(self.url + "/healthz", timeout=5) as response:
                    if response.status_code == 200:
                        return
            except (requests.ConnectionError, requests.Timeout):  # not listening, or booting
                time.sleep(0.1)
        raise AssertionError(f"the server on {self.url} did not start")

    def stop(self) -> None:
        """Stop the server (SIGTERM: gunicorn shuts down its worker)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class Member:
    """One person's browser session against the server."""

    def __init__(self, base_url: str, email: str) -> None:
        self.base_url = base_url
        self.email = email
        self.http = requests.Session()
        self.csrf = ""

    def close(self) -> None:
        self.http.close()

    def get(self, path: str) -> requests.Response:
        response = self.http.get(self.base_url + path, timeout=REQUEST_TIMEOUT)
        response.close()
        return response

    def post(self, path: str, data: dict[str, Any]) -> requests.Response:
        """A form post as the browser sends it: with the page's CSRF token, no redirect taken."""
        response = self.http.post(
            self.base_url + path,
            data={"csrf_token": self.csrf, **data},
            headers={"Referer": self.base_url + path},
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
        )
        response.close()
        return response

    def read_csrf(self, path: str = "/") -> None:
        match = _CSRF.search(self.get(path).text)
        assert match, f"no CSRF token on {path}"
        self.csrf = match.group(1)

    def login(self, password: str = PASSWORD) -> None:
        """The login form, as a person fills it in; the token changes with the new session."""
        self.read_csrf("/inloggen")
        response = self.post("/inloggen", {"email": self.email, "password": password})
        assert response.status_code == 302, (response.status_code, response.text[:500])
        self.read_csrf("/")

    def twin(self) -> Member:
        """A second connection of the same browser (same cookies): a resubmission in flight."""
        other = Member(self.base_url, self.email)
        other.http.cookies.update(self.http.cookies)
        other.csrf = self.csrf
        return other
