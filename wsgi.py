"""WSGI entry point: `flask --app wsgi …`, or a WSGI server pointed at `wsgi:app`.

`python wsgi.py` (what `make run` does) serves the embedded mode: one process, Socket.IO over
WebSocket in threads (simple-websocket), on HOST:PORT.
"""

import os

from plc import create_app
from plc.extensions import socketio

app = create_app()

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
