"""The pieces of the scaled mode as docs/deploy.md describes them, read from that page itself:
the app processes' systemd unit and environment file, and the nginx block. Substituting ports,
paths and secrets is all the test changes, so the page cannot drift from what is tested."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DOC = ROOT / "docs" / "deploy.md"
VENV_BIN = Path(sys.executable).parent
#: Where the page installs the app; the test runs it from this checkout instead.
DOC_APP_DIR = "/srv/leernetwerk/app"
#: Settings of the page's environment file that name outside services: the test brings its own.
DOC_ENV_REPLACED = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "SERVER_NAME",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
)
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


class DocDrift(AssertionError):
    """docs/deploy.md no longer has what the test runs."""


# -- reading the page ------------------------------------------------------------------------------


def doc_blocks(language: str | None = None) -> list[str]:
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    return [body for lang, body in _FENCE.findall(text) if language is None or lang == language]


def doc_block_for(first_line: str) -> str:
    """The fenced block that starts with `first_line` (the file it describes)."""
    found = [body for body in doc_blocks() if body.startswith(first_line + "\n")]
    if len(found) != 1:
        raise DocDrift(f"docs/deploy.md has {len(found)} blocks starting with {first_line!r}")
    return found[0]


def doc_environment() -> dict[str, str]:
    """`/etc/leernetwerk/env` of the page, without the settings that name outside services."""
    values: dict[str, str] = {}
    for line in doc_block_for("# /etc/leernetwerk/env").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value.removeprefix('"').removesuffix('"')  # as systemd and sh read it
    if values.get("PLC_ENV") != "production":
        raise DocDrift("the environment file no longer says PLC_ENV=production")
    return {key: value for key, value in values.items() if key not in DOC_ENV_REPLACED}


def doc_app_command(port: int) -> list[str]:
    """The `ExecStart` of `leernetwerk@.service`, for the instance on `port`."""
    unit = doc_block_for("# /etc/systemd/system/leernetwerk@.service")
    [line] = [line for line in unit.splitlines() if line.startswith("ExecStart=")]
    command = shlex.split(line.removeprefix("ExecStart=").replace("%i", str(port)))
    program = Path(command[0])
    if program.parent != Path(DOC_APP_DIR) / ".venv" / "bin":
        raise DocDrift(f"ExecStart no longer runs a program of the app's .venv: {command[0]}")
    return [str(VENV_BIN / program.name), *command[1:]]


def doc_nginx_site(
    *, app_ports: tuple[int, int], http_port: int, https_port: int, cert: Path, key: Path
) -> str:
    """The nginx block of the page, on the test's ports and certificate."""
    [site] = doc_blocks("nginx")
    replacements = {
        "server 127.0.0.1:8001;": f"server 127.0.0.1:{app_ports[0]};",
        "server 127.0.0.1:8002;": f"server 127.0.0.1:{app_ports[1]};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "/etc/letsencrypt/live/leernetwerk.example.nl/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/leernetwerk.example.nl/privkey.pem": str(key),
    }
    for old, new in replacements.items():
        if site.count(old) != 1:
            raise DocDrift(f"the nginx block of docs/deploy.md should have {old!r} once")
        site = site.replace(old, new)
    return site


# -- running it ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nginx_binary() -> str | None:
    return shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for `localhost`, made by openssl; clients trust it as its own CA."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = [
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost",
    ]
    subprocess.run(
        [*command, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key


def nginx_config(folder: Path, site: str) -> Path:
    """A whole nginx.conf around the site, everything under `folder`; the access log records
    which process served each request, for the test of `ip_hash`."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach the temp folder
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = folder / "nginx.conf"
    config.write_text(
        f"""{user}worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
{temp}
    log_format upstream '$remote_addr $upstream_addr $status "$request"';
    access_log {folder / "access.log"} upstream;
{site}
}}
"""
    )
    return config


def start_nginx(folder: Path, config: Path) -> subprocess.Popen[bytes]:
    binary = nginx_binary()
    assert binary is not None
    command = [binary, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    return subprocess.Popen(
        [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def upstreams_by_client(access_log: Path) -> dict[str, set[str]]:
    """Which app processes (`127.0.0.1:port`) nginx sent each client address to."""
    seen: dict[str, set[str]] = {}
    for line in access_log.read_text().splitlines():
        client, upstream = line.split(" ")[:2]
        if upstream != "-":
            seen.setdefault(client, set()).add(upstream)
    return seen


class FromAddress(HTTPAdapter):
    """Connect from a given loopback address, as if from another visitor (127/8 is all local)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def wait_until_healthy(
    urls: Iterable[str], processes: Iterable[subprocess.Popen[bytes]], logs: Iterable[Path], **kw
) -> None:
    """Every URL's `/healthz` answers 200, or the test fails with what the processes said."""
    pending = list(urls)
    deadline = time.monotonic() + 60
    with requests.Session() as http:
        http.trust_env = False
        while pending and time.monotonic() < deadline:
            if any(process.poll() is not None for process in processes):
                break
            try:
                with http.get(pending[0] + "/healthz", timeout=5, **kw) as answer:
                    if answer.status_code == 200:
                        pending.pop(0)
                        continue
            except (requests.ConnectionError, requests.Timeout):
                pass  # gunicorn listens before its worker has imported the app
            time.sleep(0.1)
    if pending:
        said = "\n".join(log.read_text(errors="replace")[-2000:] for log in logs if log.exists())
        raise AssertionError(f"{pending[0]} did not become healthy:\n{said}")


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGINT) -> None:
    """SIGINT: gunicorn's quick shutdown (the test's clients are gone); nginx stops on it too."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
