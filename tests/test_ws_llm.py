"""The interview with an LLM configured, faked at the HTTP layer with respx."""

import asyncio
import json
import threading
import time

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from coach.api.app import create_app
from coach.config import Settings
from coach.interview.session import InterviewSession
from llmfake import answer, chunk
from wsclient import of, send, until

BASE = "http://llm.test/v1"


@pytest.fixture
def make_client(tmp_path):
    def make(**kw):
        settings = Settings(model="openai/fake", api_base=BASE, api_key="sk-test", data_dir=tmp_path / "data", cache_dir=tmp_path / "cache", **kw)
        return TestClient(create_app(settings))

    return make


def is_structured(request: httpx.Request) -> bool:
    return "response_format" in json.loads(request.content)


def start(ws):
    send(ws, {"type": "start", "question_id": "sd-url-shortener"})
    return until(ws, "interviewer.done")


def test_tokens_stream_through_as_separate_deltas_before_the_stream_ends(make_client):
    first_seen = threading.Event()

    async def gated_stream():
        yield chunk("Good")
        # Hold the rest of the stream until the client has seen the first token.
        for _ in range(500):
            if first_seen.is_set():
                break
            await asyncio.sleep(0.01)
        for piece in (" question", ". What", " about", " storage?"):
            yield chunk(piece)
        yield b"data: [DONE]\n\n"

    def reply(request: httpx.Request) -> httpx.Response:
        if is_structured(request):
            return answer(request, [json.dumps({"items": [{"category": "nudge", "title": "Storage", "detail": "Where do the mappings live?"}]})])
        return httpx.Response(200, content=gated_stream(), headers={"content-type": "text/event-stream"})

    with respx.mock() as router, make_client() as client:
        router.post(f"{BASE}/chat/completions").mock(side_effect=reply)
        with client.websocket_connect("/ws/interview") as ws:
            session = start(ws)[0]
            assert session["provider"] == "openai/fake"
            send(ws, {"type": "say", "text": "I'd encode a counter in base62."})
            frames = []
            while True:
                frame = ws.receive_json()
                frames.append(frame)
                if frame["type"] == "interviewer.delta" and not first_seen.is_set():
                    assert frame["text"] == "Good"
                    first_seen.set()
                if frame["type"] == "suggestions":
                    break
        deltas = of(frames, "interviewer.delta")
        assert [d["text"] for d in deltas] == ["Good", " question", ". What", " about", " storage?"]
        assert of(frames, "interviewer.done")[0]["text"] == "Good question. What about storage?"
        assert of(frames, "suggestions")[0]["items"] == [{"category": "nudge", "title": "Storage", "detail": "Where do the mappings live?"}]
        assert of(frames, "suggestions")[0]["source"] == "model"
        interviewer_call = json.loads(router.calls[0].request.content)
        system = interviewer_call["messages"][0]["content"]
        assert "100M new short links per month" in system, "the brief grounds the model"
        assert "Not yet covered" in system and interviewer_call["messages"][-1] == {"role": "user", "content": "I'd encode a counter in base62."}


def test_provider_error_mid_turn_notices_and_the_offline_coach_answers(make_client, caplog):
    async def broken_stream():
        yield chunk("Let me")
        raise httpx.ReadError("connection reset")

    def reply(request: httpx.Request) -> httpx.Response:
        if is_structured(request):
            return httpx.Response(500, json={"error": {"message": "down"}})
        return httpx.Response(200, content=broken_stream(), headers={"content-type": "text/event-stream"})

    with respx.mock() as router, make_client() as client:
        router.post(f"{BASE}/chat/completions").mock(side_effect=reply)
        with client.websocket_connect("/ws/interview") as ws:
            session_id = start(ws)[0]["session_id"]
            send(ws, {"type": "say", "text": "What's the read to write ratio?"})
            frames = until(ws, "suggestions")
            notice = of(frames, "notice")[0]
            assert notice["code"] == "provider_failed"
            assert "offline coach" in notice["message"] and "Error" not in notice["message"] and "HTTP" not in notice["message"], "no raw provider text"
            assert any(r.levelname == "WARNING" and "failed" in r.getMessage() and session_id in r.getMessage() and "down" in r.getMessage() for r in caplog.records), "the operator's log has the reason"
            done = of(frames, "interviewer.done")[0]
            assert "reads outnumber writes 100 to 1" in done["text"], "the offline coach answered from the brief"
            assert of(frames, "suggestions")[0]["items"], "offline suggestions replace the failed LLM ones"
            assert of(frames, "suggestions")[0]["source"] == "offline", "and say so"
            # The session goes on.
            send(ws, {"type": "ping"})
            assert ws.receive_json()["type"] == "pong"
            assert client.app.state.services.replies_first.starting == 0, "a failed reply is counted out too"


def test_a_new_phase_is_announced_before_the_reply_or_the_failure_notice(make_client, monkeypatch):
    fail = threading.Event()

    def reply(request: httpx.Request) -> httpx.Response:
        if fail.is_set() and not is_structured(request):
            return httpx.Response(500, json={"error": {"message": "down"}})
        return answer(request, ["{}"] if is_structured(request) else ["How many ", "links a day?"])

    with respx.mock() as router, make_client() as client:
        router.post(f"{BASE}/chat/completions").mock(side_effect=reply)
        with client.websocket_connect("/ws/interview") as ws:
            start(ws)
            monkeypatch.setattr(InterviewSession, "elapsed_s", property(lambda self: 400.0))
            send(ws, {"type": "say", "text": "Let's size it."})
            frames = until(ws, "suggestions")
            assert [f["type"] for f in frames][:3] == ["candidate", "phase", "interviewer.delta"] and frames[1]["phase"] == "estimation"
            monkeypatch.setattr(InterviewSession, "elapsed_s", property(lambda self: 1500.0))
            fail.set()
            send(ws, {"type": "say", "text": "Roughly 40 writes a second."})
            frames = until(ws, "suggestions")
            assert [f["type"] for f in frames][:3] == ["candidate", "phase", "notice"] and frames[2]["code"] == "provider_failed"
            assert [f["seq"] for f in frames] == list(range(frames[0]["seq"], frames[0]["seq"] + len(frames)))


def test_llm_grading_failure_falls_back_and_says_so(make_client):
    def reply(request: httpx.Request) -> httpx.Response:
        return answer(request, ["not json at all"] if is_structured(request) else ["Tell me more."])

    with respx.mock() as router, make_client() as client:
        router.post(f"{BASE}/chat/completions").mock(side_effect=reply)
        with client.websocket_connect("/ws/interview") as ws:
            start(ws)
            send(ws, {"type": "say", "text": "Each app server reserves a range of ids from a counter and base62-encodes them, so two servers never collide."})
            until(ws, "suggestions")
            send(ws, {"type": "end"})
            report = until(ws, "report")[-1]["report"]
        assert report["grader"]["kind"] == "offline" and "not valid JSON" in report["grader"]["fallback_reason"]
        assert report["notices"] and {k["id"]: k["covered"] for k in report["key_points"]}["key-generation"]


def test_token_budget_hands_over_to_the_offline_coach(make_client):
    # The budget is checked before every call: a prompt that would overrun it is never sent.
    with respx.mock(assert_all_called=False) as router, make_client(session_token_budget=50) as client:
        route = router.post(f"{BASE}/chat/completions").mock(side_effect=lambda request: answer(request, ["What else?"]))
        with client.websocket_connect("/ws/interview") as ws:
            start(ws)
            send(ws, {"type": "say", "text": "How many links per month?"})
            frames = until(ws, "suggestions")
            send(ws, {"type": "hint"})
            hint = until(ws, "suggestions")
            send(ws, {"type": "end"})
            report = until(ws, "report")[-1]["report"]
        assert of(frames, "notice")[0]["code"] == "token_budget"
        assert "100M new short links per month" in of(frames, "interviewer.done")[0]["text"]
        assert of(frames, "suggestions")[0]["source"] == of(hint, "suggestions")[0]["source"] == "offline"
        assert report["grader"]["kind"] == "offline" and any("token budget" in n for n in report["notices"])
        assert route.call_count == 0, "no model call of any kind once the budget would be overrun"


def reply_briefly(request: httpx.Request) -> httpx.Response:
    if is_structured(request):
        return answer(request, [json.dumps({"items": []})])
    return answer(request, ["Okay. ", "Go on?"])


def system_prompt_after(ws, router, text):
    """The interviewer call's system prompt for the reply to `text`, and the frames up to the
    suggestions after it."""
    before = len(router.calls)
    send(ws, {"type": "say", "text": text})
    frames = until(ws, "suggestions")
    calls = [json.loads(c.request.content) for c in router.calls[before:]]
    streamed = [c for c in calls if c.get("stream")]
    assert streamed[0]["max_tokens"] == 400, "a spoken reply is capped"
    assert all(c["temperature"] == 0.0 for c in calls if "response_format" in c), "JSON is asked for cold"
    return streamed[0]["messages"][0]["content"], frames


def test_the_model_is_grounded_on_what_the_grader_made_of_the_last_turn(make_client):
    # A generous time box: the grader's full reading of each turn is always waited for.
    with respx.mock() as router, make_client(grounding_wait_s=60) as client:
        router.post(f"{BASE}/chat/completions").mock(side_effect=reply_briefly)
        with client.websocket_connect("/ws/interview") as ws:
            session_id = start(ws)[0]["session_id"]
            row = client.portal.call(client.app.state.services.store.get_session, session_id)
            assert row.prompts == "interviewer.v3 suggestions.v1 grade.v2", "the session records the prompts it runs with"

            def system_after(text):
                return system_prompt_after(ws, router, text)[0]

            system = system_after("So 100M links a month is roughly 4,000 writes per second.")
            assert 'contains a mistake: "So 100M links a month is roughly 4,000 writes per second."' in system
            assert "40 writes/s" not in system and "4k reads/s" not in system, "open points carry no answer figures"
            assert "Estimates write and redirect rates and storage" in system

            system = system_after("Each app server reserves a range of ids from a counter and base62-encodes them, so two servers never hand out the same short code.")
            assert "Made in the last turn (do not ask about these again): Generates short unique keys" in system
            assert "contains a mistake" not in system and "asks you something" not in system

            system = system_after("How long do we keep the links?")
            assert "asks you something (a clarifying question)" in system
            assert "has not read the candidate's last turn" not in system


@pytest.mark.parametrize("wait_s", [0.0, 0.01], ids=["no time box (default)", "reading later than the box"])
def test_a_late_reading_of_the_turn_grounds_the_model_on_a_quick_one_and_the_meter_still_counts_it(make_client, monkeypatch, wait_s):
    from coach.interview.coverage import CoverageTracker

    update = CoverageTracker.update

    def slow_update(self, turns):
        time.sleep(0.3)  # the grader's reading of the turn, later than the time box
        return update(self, turns)

    monkeypatch.setattr(CoverageTracker, "update", slow_update)
    with respx.mock() as router, make_client(grounding_wait_s=wait_s) as client:
        router.post(f"{BASE}/chat/completions").mock(side_effect=reply_briefly)
        with client.websocket_connect("/ws/interview") as ws:
            start(ws)
            key_generation = "Each app server reserves a range of ids from a counter and base62-encodes them, so two servers never hand out the same short code."
            system, frames = system_prompt_after(ws, router, key_generation)
            assert "The grader has not read the candidate's last turn yet" in system
            assert "Made in the last turn" not in system and "including the candidate's last turn" not in system
            assert "has not already answered it" in system, "the probe is offered only if the turn did not answer it"
            coverage = next(f for f in frames if f["type"] == "coverage")
            assert "key-generation" in coverage["covered"], "the meter waits for the full reading"
            assert frames.index(coverage) < next(i for i, f in enumerate(frames) if f["type"] == "interviewer.done")

            system, _ = system_prompt_after(ws, router, "So 100M links a month is roughly 4,000 writes per second.")
            assert 'contains a mistake: "So 100M links a month is roughly 4,000 writes per second."' in system, "a wrong figure needs no judge"


def test_a_hung_model_falls_back_within_the_timeouts_and_end_still_grades(make_client):
    async def hang(request):
        await asyncio.sleep(30)

    with respx.mock(assert_all_called=False) as router, make_client(first_token_timeout_s=0.3, request_timeout_s=0.6) as client:
        router.post(f"{BASE}/chat/completions").mock(side_effect=hang)
        with client.websocket_connect("/ws/interview") as ws:
            start(ws)
            began = time.monotonic()
            send(ws, {"type": "say", "text": "How many links per month?"})
            frames = until(ws, "interviewer.done")
            replied = time.monotonic() - began
            until(ws, "suggestions")
            began = time.monotonic()
            send(ws, {"type": "end"})
            ending = until(ws, "report")
            graded = time.monotonic() - began
    assert of(frames, "notice")[0]["code"] == "provider_failed" and "100M" in of(frames, "interviewer.done")[0]["text"]
    assert replied < 5, replied
    assert of(ending, "notice")[0]["code"] == "grading", "the client hears that grading is under way"
    report = ending[-1]["report"]
    assert report["grader"]["kind"] == "offline" and report["notices"] and graded < 10, graded
    assert "no reply within" in report["grader"]["fallback_reason"], "the reason is kept for the operator"
    assert not any("COACH_" in n or "within" in n or "Error" in n for n in report["notices"]), "the candidate reads plain words"


def test_in_interview_mode_the_model_is_asked_for_suggestions_only_on_hint_and_once_per_transcript(make_client):
    def reply(request: httpx.Request) -> httpx.Response:
        if is_structured(request):
            return answer(request, [json.dumps({"items": [{"category": "nudge", "title": "Storage", "detail": "Where do the mappings live?"}]})])
        return answer(request, ["And how would you store them?"])

    with respx.mock() as router, make_client() as client:
        route = router.post(f"{BASE}/chat/completions").mock(side_effect=reply)
        with client.websocket_connect("/ws/interview") as ws:
            send(ws, {"type": "start", "question_id": "sd-url-shortener", "mode": "interview"})
            until(ws, "interviewer.done")
            send(ws, {"type": "say", "text": "I'd encode a counter in base62."})
            until(ws, "interviewer.done")
            send(ws, {"type": "ping"})
            assert [f["type"] for f in until(ws, "pong")] == ["pong"]
            structured = lambda: sum(is_structured(c.request) for c in route.calls)  # noqa: E731
            assert structured() == 0, "no suggestions are asked for when nobody sees them"
            send(ws, {"type": "hint"})
            first = until(ws, "suggestions")[-1]
            send(ws, {"type": "hint"})
            again = until(ws, "suggestions")[-1]
            assert structured() == 1, "a second hint with nothing new said reuses the first"
    assert first["source"] == again["source"] == "model" and first["items"] == again["items"]


def test_every_call_of_a_session_is_counted_and_shown_in_the_report_and_the_session(make_client):
    usage = {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110}

    def reply(request: httpx.Request) -> httpx.Response:
        if is_structured(request):
            body = json.loads(request.content)
            text = json.dumps({"items": []}) if "suggestions" in json.dumps(body["response_format"]) else "not json"
            return httpx.Response(200, json={"id": "c", "object": "chat.completion", "created": 1, "model": "fake",
                                             "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}], "usage": usage})
        return answer(request, ["Go on."])

    with respx.mock() as router, make_client() as client:
        route = router.post(f"{BASE}/chat/completions").mock(side_effect=reply)
        with client.websocket_connect("/ws/interview") as ws:
            session = start(ws)[0]
            send(ws, {"type": "say", "text": "I'd encode a counter in base62."})
            until(ws, "suggestions")
            send(ws, {"type": "end"})
            report = until(ws, "report")[-1]["report"]
        calls = route.call_count
        summary = client.get(f"/api/sessions/{session['session_id']}", headers={"Authorization": f"Bearer {session['token']}"}).json()
        assert client.get(f"/api/sessions/{session['session_id']}", headers={"Authorization": "Bearer wrong"}).status_code == 404
    # interviewer (stream, estimated), suggestions (reported), grading + its repair (reported)
    assert calls == 4
    reported = 3 * usage["total_tokens"]
    assert summary["usage"]["prompt_tokens"] + summary["usage"]["completion_tokens"] > reported, "the streamed reply is counted too"
    assert summary["usage"]["completion_tokens"] >= 3 * 10
    assert report["usage"] == summary["usage"] and summary["state"] == "ended" and summary["score"] == report["score"]
