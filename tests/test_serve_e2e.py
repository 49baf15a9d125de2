"""End to end through real processes: `coach serve`, a local OpenAI-compatible fake, kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from coach.testing.procs import fake_llm, free_port, wait_ready


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


class Server:
    def __init__(self, data_dir: Path, cache_dir: Path, **env: str) -> None:
        self.port = free_port()
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/tmp"),
            "COACH_DATA_DIR": str(data_dir),
            "COACH_CACHE_DIR": str(cache_dir),
            **env,
        }
        self.log = data_dir.parent / f"serve-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Server:
        # Logs go to a file: an unread pipe would fill up and block the server.
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "coach", "serve", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_ready(f"http://127.0.0.1:{self.port}/healthz", self.proc, self.log)
        return self

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/interview"

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for s in started:
        s.stop()


def recv_until(ws, kind: str) -> list[dict]:
    out = []
    while True:
        frame = json.loads(ws.recv(timeout=60))
        out.append(frame)
        if frame["type"] == kind:
            return out


def test_offline_interview_through_coach_serve(tmp_path, cache_dir, servers):
    server = Server(tmp_path / "data", cache_dir)
    servers.append(server.start())
    health = httpx.get(f"http://127.0.0.1:{server.port}/healthz").json()
    assert health["provider"] == "offline" and health["database"] == "sqlite"
    with connect(server.ws_url) as ws:
        # The client offers compression; small frames are cheaper sent as they are.
        assert "Sec-WebSocket-Extensions" not in ws.response.headers
        ws.send(json.dumps({"type": "start", "question_id": "sd-url-shortener"}))
        session = recv_until(ws, "interviewer.done")[0]
        ws.send(json.dumps({"type": "say", "text": "Each app server reserves a range of ids from a counter and base62-encodes them, so two servers never collide."}))
        assert "key-generation" in [f for f in recv_until(ws, "suggestions") if f["type"] == "coverage"][0]["covered"]
        ws.send(json.dumps({"type": "end"}))
        report = recv_until(ws, "report")[-1]["report"]
    assert report["session_id"] == session["session_id"] and report["score"] > 0


def start_and_say(ws) -> dict:
    """Start an interview on the chat service and send one answer; return the session frame."""
    ws.send(json.dumps({"type": "start", "question_id": "sd-chat-service"}))
    session = recv_until(ws, "interviewer.done")[0]
    ws.send(json.dumps({"type": "say", "text": "I'd keep a websocket per device."}))
    return session


def test_llm_tokens_stream_through_from_an_openai_compatible_server(tmp_path, cache_dir, servers):
    with fake_llm(tmp_path, chunks=8, chunk_delay_ms=40) as llm:
        server = Server(tmp_path / "data", cache_dir, **llm)
        servers.append(server.start())
        with connect(server.ws_url) as ws:
            assert start_and_say(ws)["provider"] == "openai/fake-model"
            arrivals = []
            while True:
                frame = json.loads(ws.recv(timeout=60))
                if frame["type"] == "interviewer.delta":
                    arrivals.append((time.monotonic(), frame["text"]))
                if frame["type"] == "interviewer.done":
                    done = frame
                    break
        assert [text for _, text in arrivals] == ["That", " is", " a", " reasonable", " start.", " How", " would", " that"]
        assert done["text"] == "That is a reasonable start. How would that"
        # Streamed as the fake sent them (40 ms apart), not buffered until the end.
        assert arrivals[-1][0] - arrivals[0][0] > 0.2


def test_a_reply_cut_off_by_kill_9_starts_again_after_the_restart(tmp_path, cache_dir, servers):
    with fake_llm(tmp_path, chunks=8, chunk_delay_ms=300) as llm:
        first = Server(tmp_path / "data", cache_dir, **llm)
        servers.append(first.start())
        with connect(first.ws_url) as ws:
            session = start_and_say(ws)
            seen = recv_until(ws, "interviewer.delta")
            seen += recv_until(ws, "interviewer.delta")  # two of eight tokens, then the crash
            first.kill9()

        second = Server(tmp_path / "data", cache_dir, **llm)
        servers.append(second.start())
        with connect(second.ws_url) as ws:
            ws.send(json.dumps({"type": "resume", "session_id": session["session_id"], "token": session["token"], "last_seq": seen[-1]["seq"]}))
            after = recv_until(ws, "interviewer.done")
    seqs = [f["seq"] for f in after]
    assert seqs == list(range(seen[-1]["seq"] + 1, seen[-1]["seq"] + 1 + len(after))), "nothing skipped, nothing twice"
    kinds = [f["type"] for f in after]
    restarted = kinds.index("notice")
    assert after[restarted]["code"] == "reply_restarted"
    assert set(kinds[:restarted]) <= {"interviewer.delta"}, "only what was sent before the crash comes before the notice"
    new = [f["text"] for f in after[restarted:] if f["type"] == "interviewer.delta"]
    assert "".join(new) == after[-1]["text"] == "That is a reasonable start. How would that", "the reply starts over, whole"


def test_a_session_survives_kill_9_and_restart(tmp_path, cache_dir, servers):
    data = tmp_path / "data"
    first = Server(data, cache_dir)
    servers.append(first.start())
    with connect(first.ws_url) as ws:
        ws.send(json.dumps({"type": "start", "question_id": "sd-url-shortener"}))
        seen = recv_until(ws, "interviewer.done")
        ws.send(json.dumps({"type": "say", "text": "Each app server reserves a range of ids from a counter and base62-encodes them, so two servers never collide."}))
        seen += recv_until(ws, "suggestions")
    session_id, token = seen[0]["session_id"], seen[0]["token"]
    first.kill9()

    second = Server(data, cache_dir)
    servers.append(second.start())
    with connect(second.ws_url) as ws:
        ws.send(json.dumps({"type": "resume", "session_id": session_id, "token": token, "last_seq": 0}))
        # Every frame sent before the crash, but a finished reply's deltas: its interviewer.done carries the text.
        kept = [f for f in seen if f["type"] != "interviewer.delta"]
        replay = [json.loads(ws.recv(timeout=30)) for _ in kept]
        assert replay[1:] == kept[1:], "every frame sent before the crash is still there"
        assert replay[0]["session_id"] == session_id and replay[0]["token"] == ""
        ws.send(json.dumps({"type": "say", "text": "Redirects read from a Redis cache of hot codes in front of the database, so most of the 100-to-1 read traffic never reaches it."}))
        more = recv_until(ws, "suggestions")
        assert more[0]["seq"] == seen[-1]["seq"] + 1
        ws.send(json.dumps({"type": "end"}))
        report = recv_until(ws, "report")[-1]["report"]
    covered = {k["id"] for k in report["key_points"] if k["covered"]}
    assert {"key-generation", "read-path-cache"} <= covered, "turns from before and after the crash are both graded"
