"""Bench-only server launcher: the app served exactly as `wsgi.py` serves it (`socketio.run`),
in a chosen Socket.IO async mode.

    .venv/bin/python -m bench.live_server --mode threading|gevent --port 5001

Configuration comes from the environment, as for `wsgi.py` (DATABASE_URL, SECRET_KEY,
REDIS_URL, PLC_ENV, SERVER_NAME). The mode is the app's own setting, SOCKETIO_ASYNC_MODE, set
before `wsgi` is imported: wsgi.py then monkey-patches for gevent before any other import,
builds the app and freezes the heap (`gc.freeze()`), as in production. `--no-gc-freeze` and
`--gc-gen0` are for measuring what those two do.
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
    parser.add_argument(
        "--no-gc-freeze", action="store_true", help="undo wsgi.py's gc.freeze() (to compare)"
    )
    parser.add_argument("--gc-gen0", type=int, default=0, help="gen-0 threshold (0: default)")
    args = parser.parse_args(argv)

    os.environ["SOCKETIO_ASYNC_MODE"] = args.mode
    import gc

    # Imported only now, with the mode in the environment: wsgi.py patches for gevent first.
    import wsgi
    from plc.extensions import socketio

    if args.no_gc_freeze:
        gc.unfreeze()
    if args.gc_gen0:
        _gen0, gen1, gen2 = gc.get_threshold()
        gc.set_threshold(args.gc_gen0, gen1, gen2)
    if args.gc_log:
        _log_gc_pauses()
    actual = socketio.server.eio.async_mode
    if actual != args.mode:  # a silent fallback would make the comparison meaningless
        raise SystemExit(f"asked for async mode {args.mode}, got {actual}")
    print(
        f"live_server pid={os.getpid()} mode={actual} port={args.port} "
        f"gc_frozen={gc.get_freeze_count()} gc_threshold={gc.get_threshold()}",
        flush=True,
    )
    socketio.run(
        wsgi.app,
        host=args.host,
        port=args.port,
        log_output=False,  # a log line per request would be measured along with the room
        allow_unsafe_werkzeug=True,  # as wsgi.py: the embedded mode runs on Werkzeug
    )


if __name__ == "__main__":
    main()
