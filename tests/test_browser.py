"""The browser chat in headless Chromium (Debian's, driven by Playwright): a whole offline
interview from the start screen to the report, a dropped connection that resumes, and
screenshots of every screen in artifacts/screenshots/. Every page fails its test on a script error
or a console error (the `browser` fixture)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from coach.testing.procs import free_port, wait_ready

SCORE = re.compile(r"^\d+/100$")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or sync_playwright is None,
    reason="browser tests SKIPPED: no Chromium on this machine (apt-get install chromium) or no playwright",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    port = free_port()
    log = tmp / "serve.log"
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "COACH_DATA_DIR": str(tmp / "data"), "COACH_CACHE_DIR": str(tmp / "cache"),
           "COACH_LIMIT_SESSIONS": "1000/minute"}  # every test's browser is one address
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "coach", "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz", proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


# Responses the page asks for on purpose and handles (a wrong report link, a report not graded
# yet): the browser logs them as console errors, but they are not the page's errors.
EXPECTED = re.compile(r"Failed to load resource: the server responded with a status of (404|409)")


class Watched:
    """The browser, whose every page fails the test on a script error or a console error."""

    def __init__(self, browser) -> None:  # noqa: ANN001 - a playwright Browser
        self._browser = browser
        self.errors: list[str] = []
        self.pages: list = []

    def new_page(self, **options):  # noqa: ANN003, ANN201
        page = self._browser.new_page(**options)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" and not EXPECTED.search(m.text) else None)
        self.pages.append(page)
        return page


@pytest.fixture
def browser(chromium):
    watched = Watched(chromium)
    yield watched
    for page in watched.pages:
        if not page.is_closed():
            page.close()
    assert watched.errors == [], watched.errors


def server_get(server: str, path: str) -> dict:
    with urllib.request.urlopen(server + path, timeout=10) as response:
        return json.loads(response.read())


def shot(page, name: str, full_page: bool = True) -> None:
    """Save a screenshot for people to look at. The interview screens are shot as the viewport
    shows them: a full-page shot grows the window, so the transcript's box (the window's height
    less the rest) grows too and its scroll position no longer shows what a user sees."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def say(page, text: str) -> None:
    box = page.get_by_label("Your answer")
    expect(page.locator("#send")).to_be_enabled(timeout=20_000)
    box.fill(text)
    box.press("Enter")


def end_and_grade(page) -> None:
    page.get_by_role("button", name="End & grade").click()
    page.get_by_role("button", name="Confirm: end & grade").click()


def test_a_whole_interview_with_a_dropped_connection(server, browser):
    page = browser.new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    expect(page.get_by_role("heading", name="Practise an interview")).to_be_visible()
    expect(page.get_by_role("button", name="Start: A URL shortener")).to_be_visible()
    shot(page, "1-start")

    page.get_by_label("Practice: suggestions live beside the conversation").check()
    page.get_by_role("button", name="Start: A URL shortener").click()
    transcript = page.locator("#transcript")
    expect(transcript.locator("li.interviewer").first).to_contain_text("Design a service that turns long links", timeout=20_000)
    expect(page.locator("#notice")).to_contain_text("Offline coach")

    say(page, "How many new links per month, and how long do we keep them?")
    expect(transcript.locator("li.interviewer").nth(1)).to_contain_text("100M new short links per month", timeout=20_000)

    say(page, "Each app server reserves a range of ids from a counter and base62-encodes them, so two servers never hand out the same short code.")
    expect(page.locator("#coverage-text")).to_contain_text("1 / 6", timeout=20_000)
    expect(page.locator("#suggestions li").first).to_be_visible()
    expect(page.locator("#sugg-source")).to_have_text("From the offline coach.")
    shot(page, "2-interview", full_page=False)

    # Drop the connection in the middle: the page reconnects by itself and resumes.
    page.evaluate("window.dropped = interview.ws; interview.ws.close()")
    page.wait_for_function("interview.ws !== window.dropped && interview.connected()", timeout=20_000)
    expect(page.locator("#conn")).to_have_text("Connected")
    say(page, "Redirects read from a Redis cache of hot codes in front of the database, so most of the 100-to-1 read traffic never reaches it.")
    expect(transcript.locator("li.interviewer")).to_have_count(4, timeout=20_000)
    expect(page.locator("#coverage-text")).to_contain_text("2 / 6", timeout=20_000)

    # A reload keeps the transcript and the session.
    page.reload()
    expect(transcript.locator("li.candidate")).to_have_count(3, timeout=20_000)
    expect(page.locator("#conn")).to_have_text("Connected", timeout=20_000)
    # The newest turn is in view after the reload (the transcript scrolls to its end), and so
    # is the answer box below it: the transcript takes the window's height less the rest.
    last = transcript.locator("li").last
    expect(last).to_be_in_viewport()
    assert in_view(page, last) and in_view(page, page.get_by_label("Your answer")), "the newest turn or the answer box is out of view"
    shot(page, "3-resumed", full_page=False)

    end_and_grade(page)
    expect(page.locator("#r-score")).to_have_text(SCORE, timeout=30_000)
    expect(page.locator("#r-points li.ok").first).to_contain_text("Covered")
    expect(page.locator("#r-chart svg")).to_be_visible()
    expect(page.locator("#r-points blockquote").first).to_contain_text("base62")
    # The timeline: the phases the interview went through, with times; the transcript names them.
    expect(page.locator("#r-timeline-box")).to_be_visible()
    expect(page.locator("#r-timeline tr").first).to_contain_text("requirements")
    expect(page.locator("#r-timeline-sum")).to_contain_text("in all")
    page.locator("#r-transcript-box summary").click()
    expect(page.locator("#r-transcript li.candidate").first).to_contain_text("How many new links per month")
    expect(page.locator("#r-transcript li.candidate").first).to_contain_text("You [")
    expect(page.locator("#r-transcript li.phase-head").first).to_have_text("requirements")
    shot(page, "4-report")

    page.goto(server + "/#/history")
    expect(page.locator("#h-table tbody tr")).to_have_count(1)
    expect(page.locator("#h-table tbody tr")).to_contain_text("/100")
    shot(page, "5-history")

    page.goto(server + "/#/")
    expect(page.get_by_text("Practised 1×, last score")).to_be_visible()

    # The report's permanent link opens in another browser (a phone, dark theme).
    page.goto(server + "/" + page.locator("#h-table a").get_attribute("href"))
    expect(page.locator("#r-score")).to_have_text(SCORE, timeout=20_000)
    permanent = page.locator("#r-link").get_attribute("href")
    phone = browser.new_page(bypass_csp=True, viewport={"width": 390, "height": 844}, color_scheme="dark")
    phone.goto(permanent)
    expect(phone.locator("#r-score")).to_have_text(SCORE, timeout=20_000)
    expect(phone.locator("#r-timeline-box")).to_be_visible()  # the whole report, not its top
    shot(phone, "6-report-phone-dark")

    # Progress: the interview's dimensions, weakest first, each of the weakest with a question
    # that trains it; one click starts it.
    page.goto(server + "/#/history")
    expect(page.locator("#progress")).to_be_visible()
    rows = page.locator("#p-table tbody tr")
    expect(rows).to_have_count(page.evaluate("Object.keys(JSON.parse(localStorage['coach.history'])[0].dimensions).length"))
    averages = [int(t) for t in rows.locator("td:nth-child(3)").all_inner_texts()]
    assert averages == sorted(averages)
    weakest = rows.first.locator("td").first.inner_text()
    rows.first.get_by_role("button").click()
    expect(page.locator("#interview")).to_be_visible(timeout=20_000)
    started = page.evaluate("JSON.parse(localStorage['coach.current']).start.question_id")
    trains = server_get(server, f"/api/questions/{started}")["dimensions"]
    assert weakest.replace(" ", "_") in trains


def test_start_screen_filters_interview_mode_and_an_answer_that_never_arrived(server, browser):
    page = browser.new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    cards = page.locator("#questions li")
    expect(cards.first).to_be_visible()
    page.get_by_label("Kind").select_option("behavioral")
    expect(cards.locator(".tag", has_text="System design")).to_have_count(0)
    # The cards name the kind as the filter does, and preview the prompt.
    expect(cards.locator(".tag", has_text="Leadership (STAR)").first).to_be_visible()
    expect(cards.locator(".prompt").first).not_to_be_empty()
    page.get_by_label("Kind").select_option("")
    page.get_by_label("Difficulty").select_option("easy")
    expect(cards.locator(".tag", has_text="medium")).to_have_count(0)
    expect(page.get_by_role("button", name="Start: A URL shortener")).to_be_visible()

    # Interview mode: the coach's suggestions stay hidden until Hint.
    page.get_by_role("button", name="Start: A URL shortener").click()
    transcript = page.locator("#transcript")
    expect(transcript.locator("li.interviewer").first).to_contain_text("Design a service", timeout=20_000)
    expect(page.locator("#sugg-hidden")).to_be_visible()
    expect(page.locator("#suggestions li")).to_have_count(0)
    page.get_by_role("button", name="Hint").click()
    expect(page.locator("#suggestions li").first).to_be_visible(timeout=20_000)
    expect(page.locator("#sugg-hidden")).to_be_hidden()

    # An answer lost on its way (the socket swallows it, then drops): after the reconnect the
    # page sends it again, and it is answered once.
    page.evaluate("interview.ws.send = () => {}")
    say(page, "How many new links per month, and how long do we keep them?")
    expect(page.locator("#send")).to_be_disabled()
    page.evaluate("interview.ws.close()")
    expect(transcript.locator("li.interviewer").nth(1)).to_contain_text("100M new short links per month", timeout=20_000)
    expect(transcript.locator("li.candidate")).to_have_count(1)

    # Lost again, and this time the page is reloaded before anything comes back.
    page.evaluate("interview.ws.send = () => {}")
    say(page, "Each app server reserves a range of ids from a counter and base62-encodes them, so two servers never hand out the same short code.")
    page.reload()
    expect(transcript.locator("li.interviewer")).to_have_count(3, timeout=20_000)
    expect(transcript.locator("li.candidate")).to_have_count(2)
    expect(page.locator("#coverage-text")).to_contain_text("1 / 6", timeout=20_000)
    expect(page.locator("#say")).to_have_value("")
    expect(page.locator("#send")).to_be_enabled()

    # What is typed but not sent survives a reload too.
    page.locator("#say").fill("Redirects read through a cache")
    page.reload()
    expect(page.locator("#say")).to_have_value("Redirects read through a cache", timeout=20_000)

    # End & grade lost on its way: after the reconnect it is asked again and the report comes.
    expect(page.locator("#end")).to_be_enabled(timeout=20_000)
    page.evaluate("interview.ws.send = () => {}")
    end_and_grade(page)
    expect(page.locator("#typing")).to_have_text("Grading…")
    page.evaluate("interview.ws.close()")
    expect(page.locator("#r-score")).to_have_text(SCORE, timeout=30_000)


def test_a_reply_that_starts_over_replaces_the_part_that_had_arrived(server, browser):
    # The frames a client gets when the server was killed mid-reply and restarted
    # (test_serve_e2e drives the server side): part of a turn, the notice, the whole turn.
    page = browser.new_page(bypass_csp=True, )
    page.goto(server + "/")
    page.get_by_role("button", name="Start: A URL shortener").click()
    transcript = page.locator("#transcript")
    expect(transcript.locator("li.interviewer").first).to_contain_text("Design a service", timeout=20_000)
    page.evaluate("""() => {
      const frames = [
        {type: "interviewer.delta", turn: 3, text: "Half a rep"},
        {type: "notice", code: "reply_restarted", message: "The reply to your last turn was cut off; it starts again from the beginning."},
        {type: "interviewer.delta", turn: 3, text: "A whole "},
        {type: "interviewer.delta", turn: 3, text: "reply."},
      ];
      const first = interview.state.last_seq + 1;
      frames.forEach((f, i) => interview.handle({...f, seq: first + i}));
    }""")
    reply = transcript.locator("li.interviewer").nth(1)
    expect(reply).to_contain_text("A whole reply.")
    expect(reply).not_to_contain_text("Half a rep")
    expect(page.locator("#notice")).to_contain_text("starts again from the beginning")
    page.close()


def test_voice_controls_only_where_the_browser_has_speech(server, browser):
    page = browser.new_page(bypass_csp=True, )
    page.add_init_script("delete window.SpeechRecognition; delete window.webkitSpeechRecognition; delete window.speechSynthesis;")
    page.goto(server + "/")
    page.get_by_role("button", name="Start: A URL shortener").click()
    expect(page.locator("#transcript li.interviewer").first).to_be_visible(timeout=20_000)
    expect(page.locator("#mic")).to_be_hidden()
    expect(page.locator("#speak-label")).to_be_hidden()

    page = browser.new_page(bypass_csp=True, )
    page.goto(server + "/#/")
    page.get_by_role("button", name="Start: A URL shortener").click()
    expect(page.locator("#transcript li.interviewer").first).to_be_visible(timeout=20_000)
    has = page.evaluate("[Boolean(window.SpeechRecognition || window.webkitSpeechRecognition), 'speechSynthesis' in window]")
    assert page.locator("#mic").is_visible() == has[0]
    assert page.locator("#speak-label").is_visible() == has[1]


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible name starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        label = page.evaluate("(e => e.getAttribute('aria-label') || e.textContent.trim() || e.id)(document.activeElement)")
        if label.startswith(name):
            return
    raise AssertionError(f"{name!r} is not reachable with Tab")


def test_an_interview_with_the_keyboard_alone(server, browser):
    page = browser.new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    expect(page.locator("#questions li").first).to_be_visible()
    tab_to(page, "Start: A URL shortener")
    page.keyboard.press("Enter")
    transcript = page.locator("#transcript")
    expect(transcript.locator("li.interviewer").first).to_contain_text("Design a service", timeout=20_000)
    expect(transcript).to_have_attribute("aria-busy", "false")
    tab_to(page, "say")
    page.keyboard.type("How long do we keep the links?")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("And how many reads per second?")
    expect(page.locator("#say")).to_have_value("How long do we keep the links?\nAnd how many reads per second?")
    page.keyboard.press("Enter")
    expect(transcript.locator("li.interviewer")).to_have_count(2, timeout=20_000)
    expect(transcript.locator("li.candidate")).to_contain_text("And how many reads per second?")
    expect(page.locator("#send")).to_be_enabled(timeout=20_000)
    tab_to(page, "End & grade")
    page.keyboard.press("Enter")
    # One stray Enter does not end the interview: it asks first.
    expect(page.locator("#end")).to_have_text("Confirm: end & grade")
    expect(transcript.locator("li.interviewer")).to_have_count(2)
    page.keyboard.press("Enter")
    expect(page.locator("#r-score")).to_have_text(SCORE, timeout=30_000)


def test_end_asks_to_confirm_only_before_half_the_phases_are_done(server, browser):
    page = browser.new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    page.get_by_label("Kind").select_option("behavioral")
    page.get_by_role("button", name="Start: An incident you led").click()
    transcript = page.locator("#transcript")
    expect(transcript.locator("li.interviewer").first).to_be_visible(timeout=20_000)
    now = page.locator("#phase .now")
    end = page.locator("#end")

    # Early (the first of a STAR story's four phases): the first press only asks.
    expect(now).to_contain_text("situation and task")
    expect(end).to_be_enabled(timeout=20_000)
    end.click()
    expect(end).to_have_text("Confirm: end & grade")
    expect(page.locator("#typing")).to_have_text("")
    page.reload()  # forgets the armed button; the interview resumes
    expect(end).to_have_text("End & grade")

    # The story's numbers: the results are told, so the interview is past its half way.
    expect(page.locator("#conn")).to_have_text("Connected", timeout=20_000)
    say(page, "Detection went from fifteen minutes to two, and config-related incidents stopped recurring over the next year.")
    expect(transcript.locator("li.interviewer")).to_have_count(2, timeout=20_000)
    expect(now).to_contain_text(re.compile("results|reflection"), timeout=20_000)
    expect(end).to_be_enabled(timeout=20_000)
    end.click()
    expect(end).not_to_have_text("Confirm: end & grade")
    expect(page.locator("#r-score")).to_have_text(SCORE, timeout=30_000)
    page.close()

    # A design interview has five phases: two done is still fewer than half, three is not. The
    # phase frames are handed to the page as the server sends them when the phase moves on (its
    # clock takes 25 minutes to reach the deep dive, and covering the points takes many turns).
    page = browser.new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    page.get_by_role("button", name="Start: A URL shortener").click()
    expect(page.locator("#transcript li.interviewer").first).to_be_visible(timeout=20_000)
    end = page.locator("#end")
    expect(end).to_be_enabled(timeout=20_000)
    for phase, confirm in [("high_level_design", True), ("deep_dive", False)]:
        page.evaluate("p => interview.handle({type: 'phase', phase: p, elapsed_s: 0, budget_s: 900, left_s: 900})", phase)
        expect(page.locator("#phase .now")).to_contain_text(phase.replace("_", " "))
        end.click()
        if confirm:
            expect(end).to_have_text("Confirm: end & grade")
            page.reload()  # forgets the armed button; the interview resumes in the same phase
            expect(end).to_be_enabled(timeout=20_000)
            expect(end).to_have_text("End & grade")
    expect(page.locator("#r-score")).to_have_text(SCORE, timeout=30_000)
    page.close()


def test_the_page_and_the_api_docs_work_under_their_content_security_policy(server, browser):
    # The other tests bypass the policy so that Playwright may evaluate script in the page;
    # this one keeps it and fails on any violation the page itself causes.
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(server + "/")
    page.get_by_role("button", name="Start: A URL shortener").click()
    transcript = page.locator("#transcript")
    expect(transcript.locator("li.interviewer").first).to_contain_text("Design a service", timeout=20_000)
    say(page, "How many new links per month?")
    expect(transcript.locator("li.interviewer").nth(1)).to_contain_text("100M new short links per month", timeout=20_000)
    page.goto(server + "/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Coach", timeout=20_000)
    page.close()
    assert violations == []


def test_switching_to_another_question_mid_interview(server, browser):
    page = browser.new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    page.get_by_role("button", name="Start: A URL shortener").click()
    transcript = page.locator("#transcript")
    expect(transcript.locator("li.interviewer").first).to_contain_text("Design a service that turns long links", timeout=20_000)
    first = page.evaluate("interview.state.session_id")

    # Back to the start screen and on to another question, without ending the first.
    page.get_by_role("link", name="New interview").click()
    page.get_by_role("button", name="Start: A chat and messaging service").click()
    expect(page.locator("#q-title")).to_have_text("A chat and messaging service", timeout=20_000)
    expect(transcript.locator("li.interviewer").first).to_contain_text("messaging service", timeout=20_000)
    expect(transcript.locator("li.interviewer")).to_have_count(1)
    second = page.evaluate("interview.state.session_id")
    assert second and second != first

    say(page, "How many messages a day?")
    expect(transcript.locator("li.interviewer").nth(1)).to_contain_text("10B messages a day", timeout=20_000)
    end_and_grade(page)
    expect(page.locator("#r-score")).to_have_text(SCORE, timeout=30_000)
    expect(page.locator("#r-points")).to_contain_text("connection")  # the chat question's key points
    page.close()


def test_no_dead_ends_for_filters_that_match_nothing_and_a_wrong_report_link(server, browser):
    page = browser.new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    expect(page.get_by_role("button", name="Start: A URL shortener")).to_be_visible()
    # Topics come grouped by the kind of question they belong to.
    groups = page.locator("#filters select[name=topic] optgroup")
    expect(groups).to_have_count(2)
    assert groups.evaluate_all("gs => gs.map(g => g.label)") == ["System design", "Leadership (STAR)"]
    expect(groups.first.locator("option[value=caching]")).to_have_count(1)
    page.locator("#filters select[name=kind]").select_option("behavioral")
    page.locator("#filters select[name=topic]").select_option("caching")
    expect(page.locator("#no-match")).to_be_visible(timeout=10_000)
    expect(page.locator("#questions li")).to_have_count(0)
    page.get_by_role("button", name="Surprise me").click()
    expect(page.locator("#start-note")).to_contain_text("No question matches")
    assert page.url.endswith("/") or page.url.endswith("#/"), "no interview was opened"

    page.goto(server + "/#/report/0123456789abcdef0123456789abcdef?token=wrong")
    expect(page.locator("#r-title")).to_have_text("Report not available", timeout=10_000)
    expect(page.locator("#r-notices")).to_contain_text("link is wrong")
    expect(page.locator("#r-score")).to_have_text("")
    page.close()


def test_an_abandoned_interview_is_resumed_or_removed_from_history(server, browser):
    page = browser.new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    page.evaluate("localStorage.clear()")
    page.get_by_role("button", name="Start: A URL shortener").click()
    transcript = page.locator("#transcript")
    expect(transcript.locator("li.interviewer").first).to_contain_text("Design a service", timeout=20_000)
    say(page, "How many new links per month?")
    expect(transcript.locator("li.interviewer").nth(1)).to_contain_text("100M new short links per month", timeout=20_000)
    page.get_by_role("link", name="New interview").click()
    page.get_by_role("button", name="Start: A chat and messaging service").click()
    expect(transcript.locator("li.interviewer").first).to_contain_text("messaging service", timeout=20_000)

    page.get_by_role("link", name="History").click()
    rows = page.locator("#h-table tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_role("button", name="Remove from history: A chat and messaging service").click()
    expect(rows).to_have_count(1)
    page.get_by_role("button", name="Resume: A URL shortener").click()
    expect(page.locator("#q-title")).to_have_text("A URL shortener", timeout=20_000)
    expect(transcript.locator("li.candidate")).to_have_count(1, timeout=20_000)
    expect(transcript.locator("li.candidate")).to_contain_text("How many new links per month?")
    expect(transcript.locator("li.interviewer")).to_have_count(2)
    end_and_grade(page)
    expect(page.locator("#r-score")).to_have_text(SCORE, timeout=30_000)
    page.close()


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height + 1


def test_on_a_phone_the_newest_turn_and_the_composer_stay_in_view(server, browser):
    page = browser.new_page(bypass_csp=True, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(server + "/")
    page.get_by_label("Practice: suggestions live beside the conversation").check()
    page.get_by_role("button", name="Start: A URL shortener").click()
    transcript = page.locator("#transcript")
    expect(transcript.locator("li.interviewer").first).to_be_visible(timeout=20_000)
    answers = [
        "How many new links per month, and how long do we keep them?",
        "Each app server reserves a range of ids from a counter and base62-encodes them, so two servers never hand out the same short code.",
        "Redirects read from a Redis cache of hot codes in front of the database, so most of the 100-to-1 read traffic never reaches it.",
        "The store is a key-value table partitioned by the short code, since every access is a lookup by code and there are no joins.",
        "I'd use a 302 so that every click comes through us and can be counted.",
    ]
    for n, text in enumerate(answers, start=2):
        say(page, text)
        expect(transcript.locator("li.interviewer")).to_have_count(n, timeout=20_000)
        expect(page.locator("#send")).to_be_enabled(timeout=20_000)
        assert in_view(page, transcript.locator("li").last), f"the newest turn is out of view after answer {n - 1}"
        assert in_view(page, page.get_by_label("Your answer")), "the composer is out of view"
    # The phases take one line: the current one named with its time, the others short segments.
    expect(page.locator("#phase .now")).to_contain_text("left")
    assert page.locator("#phase").bounding_box()["height"] <= 32
    shot(page, "7-interview-phone", full_page=False)

    # The coach is a panel over the chat: rubric, Hint, End and the suggestions.
    expect(page.locator("#coach-panel")).to_be_hidden()
    page.get_by_role("button", name="Coach").click()
    expect(page.locator("#coach-panel")).to_be_visible()
    assert in_view(page, page.get_by_role("button", name="Hint"))
    expect(page.locator("#suggestions li").first).to_be_visible()
    shot(page, "8-coach-panel-phone", full_page=False)
    page.get_by_role("button", name="Back to the interview").click()
    expect(page.locator("#coach-panel")).to_be_hidden()
    assert in_view(page, page.get_by_label("Your answer"))


def test_on_a_phone_the_start_screen_keeps_its_actions_at_hand_and_its_cards_compact(server, browser):
    page = browser.new_page(bypass_csp=True, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(server + "/")
    cards = page.locator("#questions li")
    expect(cards.first).to_be_visible()
    surprise = page.get_by_role("button", name="Surprise me")
    kind = page.get_by_label("Kind")
    # Without scrolling: the filters, Surprise me and the first card's Start.
    assert in_view(page, kind) and in_view(page, surprise), "the filters or Surprise me are below the fold"
    assert in_view(page, cards.first.get_by_role("button", name=re.compile("^Start: ")))
    # Compact cards: none taller than 220 px (they were 260-310), the prompt two lines at most.
    boxes = cards.evaluate_all("""cs => cs.map(c => {
      const prompt = c.querySelector('.prompt');
      return {card: c.getBoundingClientRect().height, prompt: prompt.getBoundingClientRect().height,
              line: parseFloat(getComputedStyle(prompt).lineHeight)};
    })""")
    assert len(boxes) > 10
    assert max(b["card"] for b in boxes) <= 220, [round(b["card"]) for b in boxes]
    assert all(b["prompt"] <= 2 * b["line"] + 1 for b in boxes), boxes

    # Far down the list the filters and Surprise me are still at hand, and a Start reached
    # with the keyboard (going back up the list) is not hidden under them.
    cards.last.get_by_role("button").focus()
    bar = page.locator(".start-bar")
    focused = page.locator("#questions li button:focus")
    for _ in range(8):
        page.keyboard.press("Shift+Tab")
        expect(focused).to_have_attribute("aria-label", re.compile("^Start: "))
        top = bar.bounding_box()
        assert focused.bounding_box()["y"] >= top["y"] + top["height"], "the focused Start is under the filters"
    assert page.evaluate("scrollY") > 1000
    assert in_view(page, kind) and in_view(page, surprise), "the filters and Surprise me scrolled away"
    kind.select_option("behavioral")
    expect(cards.locator(".tag", has_text="System design")).to_have_count(0)
    surprise.click()
    expect(page.locator("#transcript li.interviewer").first).to_be_visible(timeout=20_000)
    expect(page.locator("#q-meta")).to_contain_text("Leadership (STAR)")


@pytest.mark.parametrize(("size", "width", "height", "theme"), [("desktop", 1280, 900, "dark"), ("desktop", 1280, 900, "light"), ("phone", 390, 844, "dark"), ("phone", 390, 844, "light")])
def test_every_screen_in_each_theme_and_size(server, browser, size, width, height, theme):
    """Screenshots for people to look at (artifacts/screenshots/screens-*), and each screen shows
    its main content in every combination, no wider than the window (nothing scrolls sideways)."""
    page = browser.new_page(bypass_csp=True, viewport={"width": width, "height": height}, color_scheme=theme)
    name = f"screens-{size}-{theme}"

    def fits(screen: str) -> None:
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{screen}: the page is {wide} px wide in a {width} px window"

    page.goto(server + "/")
    expect(page.get_by_role("button", name="Start: A URL shortener")).to_be_visible()
    fits("start")
    shot(page, f"{name}-1-start")
    page.get_by_role("button", name="Start: A URL shortener").click()
    transcript = page.locator("#transcript")
    expect(transcript.locator("li.interviewer").first).to_be_visible(timeout=20_000)
    say(page, "Each app server reserves a range of ids from a counter and base62-encodes them, so two servers never hand out the same short code.")
    expect(transcript.locator("li.interviewer")).to_have_count(2, timeout=20_000)
    fits("interview")
    shot(page, f"{name}-2-interview", full_page=False)
    if size == "phone":
        page.get_by_role("button", name="Coach").click()
    end_and_grade(page)
    expect(page.locator("#r-score")).to_contain_text("/100", timeout=30_000)
    # The whole report before the shot: a full-page shot measures the page first, so a report
    # still filling in came out cut off at the window's height.
    expect(page.locator("#r-transcript-box")).to_be_visible()
    expect(page.locator("#r-timeline-box")).to_be_visible()
    fits("report")
    shot(page, f"{name}-3-report")
    page.goto(server + "/#/history")
    expect(page.locator("#h-table tbody tr")).to_have_count(1)
    expect(page.locator("#progress")).to_be_visible()
    fits("history")
    shot(page, f"{name}-4-history")
