"""The live room against real servers: python-socketio clients over WebSocket, app processes
started with `socketio.run` on a migrated SQLite file, logins over HTTP.

- a client that reconnects gets the messages sent while it was away;
- a server killed and started again loses nothing: clients rejoin with `since`, and a message
  whose acknowledgement was lost is resent and stored once;
- two server processes sharing Redis (the scaled mode): messages and removals cross.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import require_service
from tests.support.live_servers import WAIT, Participant, Server, build_world

REDIS_URL = os.environ.get("PLC_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


# -- servers ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One migrated SQLite file for this module's servers, with people and sessions."""
    return build_world(tmp_path_factory.mktemp("realtime-server"))


@pytest.fixture
def participants() -> Iterator[Callable[..., Participant]]:
    made: list[Participant] = []

    def make(name: str, session_id: int, **options: Any) -> Participant:
        made.append(Participant(name, session_id, **options))
        return made[-1]

    yield make
    closing = [participant.close_in_background() for participant in made]
    for thread in closing:
        thread.join(timeout=WAIT)


@pytest.fixture
def start_servers(
    world: dict[str, Any], participants: Callable[..., Participant]
) -> Iterator[Callable[..., list[Server]]]:
    """`start_servers(n, **env)`: n app processes, started side by side, killed afterwards
    (before the clients close: a client's goodbye to a live server waits for its answer)."""
    servers: list[Server] = []

    def start(count: int = 1, **env: str) -> list[Server]:
        started = [Server(world, **env).launch() for _ in range(count)]
        servers.extend(started)
        return [server.wait_until_ready() for server in started]

    yield start
    for server in servers:
        server.kill()


# -- tests -----------------------------------------------------------------------------------------


def test_a_client_that_reconnects_gets_what_was_said_meanwhile(world, start_servers, participants):
    [server] = start_servers()
    session_id = world["sessions"][0]
    fatima = participants("fatima", session_id).connect(server)
    sanne = participants("sanne", session_id).connect(server)
    fatima_id = world["users"]["fatima"]
    sanne.send("Goedemorgen")
    fatima.wait_for(lambda: fatima.bodies() == ["Goedemorgen"], "the first message")

    fatima.close_in_background()  # her connection is gone: the room sees her leave
    sanne.wait_for(lambda: _left(sanne.events) == [fatima_id], "Fatima leaving")
    for body in ("Zijn jullie er?", "Ik begin alvast"):  # one at a time: the order is kept
        sanne.send(body)
        sanne.wait_for(lambda: not sanne.outbox, "the acknowledgement")
    back = participants("fatima", session_id, resume=fatima).connect(server)

    assert back.bodies() == ["Goedemorgen", "Zijn jullie er?", "Ik begin alvast"]


def _left(events: list[tuple[str, Any]]) -> list[int]:
    return [
        user_id for name, data in events if name == "presence:left" for user_id in data["user_ids"]
    ]


def test_nothing_is_lost_when_the_server_restarts(world, start_servers, participants):
    [server] = start_servers()
    session_id = world["sessions"][1]
    fatima = participants("fatima", session_id, reconnect=False).connect(server)
    sanne = participants("sanne", session_id).connect(server)
    sanne.send("Voor de herstart")
    fatima.wait_for(lambda: fatima.bodies() == ["Voor de herstart"], "the first message")

    # Fatima sends, and the server dies before or just after storing it: as if her
    # acknowledgement was lost either way, the message stays in her outbox.
    dropped = [fatima.sio.eio.ws, sanne.sio.eio.ws]
    pending = fatima.send("Net op tijd?")
    server.kill()
    fatima.wait_for(lambda: not fatima.sio.connected, "the disconnect")
    fatima.outbox[pending] = "Net op tijd?"

    server.start()  # the same port: Sanne's client reconnects and rejoins by itself
    sanne.wait_for(lambda: sanne.sio.connected and sanne.joined.is_set(), "the reconnect")
    sanne.send("Na de herstart")
    sanne.wait_for(lambda: not sanne.outbox, "the acknowledgement")

    fatima.connect(server)  # rejoins with `since`, then resends her outbox
    fatima.wait_for(lambda: not fatima.outbox, "the resend's acknowledgement")
    fatima.wait_for(lambda: "Net op tijd?" in fatima.bodies(), "her own message")
    assert "Na de herstart" in fatima.bodies()

    for websocket in dropped:  # the client library leaves a dead connection's socket open
        websocket.shutdown()

    everything = participants("daan", session_id).connect(server).bodies()
    assert everything.count("Net op tijd?") == 1
    assert set(everything) == {"Voor de herstart", "Net op tijd?", "Na de herstart"}
    assert fatima.bodies() == everything


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def test_two_server_processes_share_the_room_through_redis(world, start_servers, participants):
    require_service(_redis_available(), f"Redis is not reachable at {REDIS_URL}")
    first, second = start_servers(2, REDIS_URL=REDIS_URL)
    session_id = world["sessions"][2]
    daan = participants("daan", session_id).connect(first)
    fatima = participants("fatima", session_id).connect(first)
    sanne = participants("sanne", session_id).connect(second)

    fatima.send("Van server één")
    sanne.wait_for(lambda: "Van server één" in sanne.bodies(), "a message from the other server")
    sanne.send("Van server twee")
    fatima.wait_for(lambda: "Van server twee" in fatima.bodies(), "the answer")
    people = fatima.call("presence:get", {})["presence"]["people"]
    assert {person["name"] for person in people} == {"Daan", "Fatima", "Sanne"}

    # A facilitator on the first server removes someone connected to the second.
    users = world["users"]
    assert daan.call("room:remove", {"user_id": users["sanne"]})["ok"]
    sanne.wait_for(lambda: ("room:removed", {"session_id": session_id}) in sanne.events, "removal")
    fatima.send("Zonder Sanne")
    daan.wait_for(lambda: "Zonder Sanne" in daan.bodies(), "the next message")
    time.sleep(0.2)  # time enough for a broadcast that should not come
    assert "Zonder Sanne" not in sanne.bodies()
    assert sanne.call("room:join", {})["error"]["code"] == "removed"
