"""WSGI entry point: `flask --app wsgi …`, or a WSGI server pointed at `wsgi:app`."""

from plc import create_app
from plc.extensions import socketio

app = create_app()

if __name__ == "__main__":  # pragma: no cover - `make run` path
    socketio.run(app)
