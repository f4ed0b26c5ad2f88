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
            print(
                f"gc gen{info['generation']} {pause * 1000:.0f} ms at {time.time():.3f}",
                flush=True,
            )

    gc.callbacks.append(callback)


def _log_stalls(limit: float) -> None:
    """Diagnosis (gevent): a greenlet ticks every 5 ms; an OS thread of its own watches the tick
    and, while it is late by more than `limit` seconds (something keeps the hub from running),
    prints the main thread's stack every 20 ms: what the process is doing during a stall."""
    import sys
    import time
    import traceback

    import gevent
    from gevent import monkey

    start_thread = monkey.get_original("_thread", "start_new_thread")
    real_sleep = monkey.get_original("time", "sleep")
    main_id = monkey.get_original("_thread", "get_ident")()
    tick = [time.perf_counter()]

    def ticker() -> None:
        while True:
            tick[0] = time.perf_counter()
            gevent.sleep(0.005)

    def watcher() -> None:
        stalled_since = 0.0
        while True:
            real_sleep(0.02)
            lag = time.perf_counter() - tick[0]
            if lag <= limit:
                if stalled_since:
                    print(f"stall end {time.time():.3f} lasted {lag * 1000:.0f}+ ms", flush=True)
                stalled_since = 0.0
                continue
            stalled_since = stalled_since or time.time()
            frame = sys._current_frames().get(main_id)
            stack = traceback.extract_stack(frame, limit=14) if frame else []
            where = " < ".join(
                f"{f.filename.rsplit('/', 2)[-2]}/{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                for f in reversed(stack)
            )
            print(f"stall {time.time():.3f} lag {lag * 1000:.0f} ms: {where}", flush=True)

    gevent.spawn(ticker)
    start_thread(watcher, ())


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
    parser.add_argument(
        "--stall-log", type=float, default=0.0, help="gevent: log stacks during hub stalls (s)"
    )
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
    if args.stall_log and args.mode == "gevent":
        _log_stalls(args.stall_log)
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
