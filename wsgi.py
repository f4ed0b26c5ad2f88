"""WSGI entry point: `flask --app wsgi …`, or a WSGI server pointed at `wsgi:app`.

`python wsgi.py` (what `make run` does) serves the embedded mode: one process, Socket.IO over
WebSocket in threads (simple-websocket), on HOST:PORT.

`SOCKETIO_ASYNC_MODE=gevent` (the scaled mode, docs/deploy.md) serves every connection in a
greenlet instead of an OS thread. gevent must patch the standard library before anything
imports socket, threading or ssl, so that happens here, first. Under
`gunicorn --worker-class gevent` the worker has patched already; patching again is harmless.
"""

import os

if os.environ.get("SOCKETIO_ASYNC_MODE") == "gevent":  # pragma: no cover - scaled mode
    from gevent import monkey

    monkey.patch_all()

import gc

from plc import create_app
from plc.extensions import socketio

app = create_app()

# The objects built so far (modules, the app, SQLAlchemy's mappers) live as long as the
# process: out of the collector's sight, a full collection with a thousand connections
# open no longer walks them. See "Garbage collection" in docs/BENCHMARKS.md.
gc.freeze()

if __name__ == "__main__":  # pragma: no cover - `make run` path
    socketio.run(
        app,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "5000")),
        debug=app.debug,
        # The embedded mode is one process for a small installation; the scaled mode runs
        # behind a production server (docs/deploy.md).
        allow_unsafe_werkzeug=True,
    )
