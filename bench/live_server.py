"""Bench-only server launcher: the app served as `wsgi.py` serves it (`socketio.run`), in a
chosen Socket.IO async mode.

    .venv/bin/python -m bench.live_server --mode threading|gevent --port 5001

Configuration comes from the environment, as for `wsgi.py` (DATABASE_URL, SECRET_KEY,
REDIS_URL, PLC_ENV, SERVER_NAME). `create_app` asks for async_mode="threading"; for another mode
this launcher wraps `socketio.init_app` before the app is built, so the app is built once, in
that mode, without any change under plc/.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

MODES = ("threading", "gevent")


def _log_gc_pauses(threshold: float = 0.02) -> None:
    """Diagnosis: a stop-the-world collection delays every message in flight at once."""
    import gc
    import time

    started: dict[str, float] = {}

    def callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started["t"] = time.perf_counter()
        elif (pause := time.perf_counter() - started.get("t", time.perf_counter())) > threshold:
            print(f"gc gen{info['generation']} {pause * 1000:.0f} ms", flush=True)

    gc.callbacks.append(callback)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=MODES, default="threading")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5001)
    parser.add_argument("--gc-log", action="store_true", help="print garbage-collection pauses")
    args = parser.parse_args(argv)
    if args.gc_log:
        _log_gc_pauses()

    if args.mode == "gevent":
        # Before anything imports socket, threading or ssl: every blocking call in Flask,
        # SQLAlchemy and redis-py must yield to the gevent hub instead of blocking it.
        from gevent import monkey

        monkey.patch_all()

    # Imported only now, after the patching above (hence not at the top of the module).
    from plc import create_app
    from plc.extensions import socketio

    if args.mode != "threading":
        bound_init_app = socketio.init_app

        def init_app(app: Any, **options: Any) -> None:
            bound_init_app(app, **{**options, "async_mode": args.mode})

        socketio.init_app = init_app  # type: ignore[method-assign]

    app = create_app()
    actual = socketio.server.eio.async_mode
    if actual != args.mode:  # a silent fallback would make the comparison meaningless
        raise SystemExit(f"asked for async mode {args.mode}, got {actual}")
    print(f"live_server pid={os.getpid()} mode={actual} port={args.port}", flush=True)
    socketio.run(
        app,
        host=args.host,
        port=args.port,
        log_output=False,  # a log line per request would be measured along with the room
        allow_unsafe_werkzeug=True,  # as wsgi.py: the embedded mode runs on Werkzeug
    )


if __name__ == "__main__":
    main()
