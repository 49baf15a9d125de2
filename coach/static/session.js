// The interview's session: protocol v1 over /ws/interview (docs/protocol.md), the state kept
// in this browser, reconnecting and resuming.
import { $, store } from "./util.js";
import { history_, remember } from "./history.js";
import { startNote } from "./start.js";
import { renderInterview, renderPhase } from "./interview-view.js";

// A sent answer stays `pending` (kept in the browser) until the interviewer's reply to it
// starts. After a reconnect the client asks `ping` once the replay is over: if the reply has
// still not begun, the answer may never have reached the server and is sent again. The server
// either stores it then, or says `busy` because it is already answering it. Nothing is lost
// and nothing is stored twice.
export const interview = {
  ws: null, state: null, retry: 0, ended: false, paused: false, superseded: false,

  open() {
    this.state = store.get("coach.current", null);
    this.ended = this.paused = this.superseded = false;
    // A connection left from another interview (the candidate went back and started a new
    // one) must not carry this one's frames: close it, quietly, and connect afresh.
    if (this.ws && this.wsFor !== this.state.client_id) {
      const old = this.ws;
      this.ws = null;
      old.onopen = old.onclose = old.onmessage = null;
      old.close();
    }
    $("#say").value = store.get("coach.draft", "");
    this.render();
    this.connect();
  },

  save() { store.set("coach.current", this.state); },

  connect() {
    if (this.ws && this.ws.readyState <= 1) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/ws/interview`);
    this.ws = ws;
    this.wsFor = this.state.client_id;
    this.status(this.retry ? "Reconnecting…" : "Connecting…", true);
    ws.onopen = () => {
      const s = this.state;
      // The mode tells the server whether suggestions are shown after every turn (practice) or only on Hint.
      if (s.session_id) ws.send(JSON.stringify({ type: "resume", session_id: s.session_id, token: s.token, last_seq: s.last_seq, mode: s.mode }));
      else ws.send(JSON.stringify({ type: "start", ...s.start, mode: s.mode }));
      if (s.pending || s.grading) ws.send(JSON.stringify({ type: "ping" }));
      this.retry = 0;
      this.status("Connected", false);
    };
    ws.onmessage = (event) => this.handle(JSON.parse(event.data));
    ws.onclose = () => {
      if (this.ended || this.ws !== ws) return;
      if (this.paused || this.superseded) {
        this.status(this.superseded ? "Open in another window" : "Paused: click or type to continue", true);
        if (this.paused) {
          const wake = () => { this.paused = false; if (location.hash === "#/interview") this.connect(); };
          for (const name of ["pointerdown", "keydown", "focus"]) window.addEventListener(name, wake, { once: true });
        }
        return;
      }
      this.status("Reconnecting…", true);
      this.retry += 1;
      setTimeout(() => { if (location.hash === "#/interview") this.connect(); }, Math.min(5000, 300 * 2 ** this.retry));
    };
  },

  status(text, down) {
    const node = $("#conn");
    node.textContent = text;
    node.classList.toggle("down", down);
    if (this.state) this.render();
  },

  connected() { return Boolean(this.ws) && this.ws.readyState === 1; },

  handle(f) {
    const s = this.state;
    if (f.seq > 0) {
      if (f.seq <= s.last_seq) return;
      s.last_seq = f.seq;
    }
    switch (f.type) {
      case "session":
        if (!s.session_id) {
          Object.assign(s, { session_id: f.session_id, token: f.token, question: f.question, provider: f.provider });
          remember({ session_id: f.session_id, token: f.token, question_id: f.question.id, title: f.question.title, started_at: Date.now(), score: null });
        }
        // Resumed from History: the replayed session frame says what the interview is.
        s.question ??= f.question;
        s.provider ??= f.provider;
        break;
      case "phase": s.phase = { ...f, at: Date.now() }; break;
      case "candidate":
        // The server has the pending answer: after a reconnect it is not sent again (a reply
        // restarted by the server could finish first and the resent one become a new turn).
        if (s.pending && f.turn === s.pending.after) s.pending.arrived = true;
        // The server's copy of a turn: already shown when it was typed here, added when the
        // interview is resumed on another device or from History.
        if (!s.messages.some((m) => m.role === "candidate" && m.turn === f.turn)) {
          s.messages.push({ role: "candidate", turn: f.turn, text: f.text, done: true });
          s.messages.sort((a, b) => a.turn - b.turn);
        }
        break;
      case "interviewer.delta": this.stream(f.turn, f.text, false); break;
      case "interviewer.done": this.stream(f.turn, f.text, true); this.speak(f.text); break;
      case "coverage": s.coverage = { covered: f.covered, total: f.total }; break;
      case "suggestions": s.suggestions = f.items; s.suggestionsSource = f.source; break;
      case "notice":
        s.notice = f.message;
        // The server stored the answer but could not reply: let the candidate say it again.
        if (f.code === "internal_error" && s.pending) s.pending = null;
        // A reply cut off by a server restart starts over: drop the part of it that arrived.
        if (f.code === "reply_restarted") s.messages = s.messages.filter((m) => m.role !== "interviewer" || m.done);
        // Closed after a long silence: reconnect when the candidate comes back, not at once.
        if (f.code === "idle_timeout") this.paused = true;
        break;
      case "report": this.finish(f.report); return;
      case "error": this.error(f); break;
      case "pong": this.resendPending(); break;
    }
    this.save();
    this.render();
  },

  stream(turn, text, done) {
    const msgs = this.state.messages;
    let msg = msgs.find((m) => m.role === "interviewer" && m.turn === turn);
    if (!msg) { msg = { role: "interviewer", turn, text: "", done: false }; msgs.push(msg); }
    if (done) { msg.text = text; msg.done = true; } else if (!msg.done) msg.text += text;
    if (this.state.pending && turn > this.state.pending.after) this.state.pending = null;
  },

  resendPending() {
    // The replay is over (see `pong`): what it did not answer is asked again.
    if (!this.connected()) return;
    const p = this.state.pending;
    if (p && !p.arrived) {
      p.resent = true;
      this.ws.send(JSON.stringify({ type: "say", text: p.text }));
    }
    if (this.state.grading) this.ws.send(JSON.stringify({ type: "end" }));
  },

  error(f) {
    const p = this.state.pending;
    if (f.code === "busy" && p && p.resent) return;  // the server has it and is answering it
    // Asked to grade twice after a reconnect: the report is on its way to this connection.
    if (f.code === "session_ended" && this.state.grading) return;
    if (p) this.unsend(p);
    if (f.code === "unauthorized" || f.code === "session_ended") { this.ended = true; this.ws.close(); }
    // The interview could not start (the question is gone, or nothing matched): back to the
    // start screen with the reason, instead of a dead interview screen.
    if (["unknown_question", "no_session", "rate_limited"].includes(f.code) && !this.state.session_id) {
      this.ended = true;
      this.ws.close();
      store.drop("coach.current");
      location.hash = "#/";
      startNote(f.code === "unknown_question" ? "That question is not in the bank any more, or nothing matched: pick one below."
        : f.code === "rate_limited" ? `Too many interviews started from here just now: try again in ${Math.ceil(f.retry_after_s || 60)} seconds.`
        : "The interview could not start; pick a question below.");
      return;
    }
    // Another tab or device resumed this interview: stop here rather than take it back.
    if (f.code === "superseded") this.superseded = true;
    this.state.notice = f.message;
  },

  unsend(p) {
    // The answer was refused: it goes back into the box, as typed, for the candidate to resend.
    const msgs = this.state.messages;
    const i = msgs.findIndex((m) => m.role === "candidate" && m.turn === p.after);
    if (i >= 0) msgs.splice(i, 1);
    this.state.pending = null;
    const box = $("#say");
    box.value = box.value.trim() ? `${p.text}\n${box.value}` : p.text;
    store.set("coach.draft", box.value);
  },

  streaming() {
    // The interviewer's turn is still coming in.
    const last = this.state.messages[this.state.messages.length - 1];
    return Boolean(last) && last.role === "interviewer" && !last.done;
  },

  answering() {
    const s = this.state;
    return Boolean(s.pending) || s.messages.length === 0 || this.streaming();
  },

  send() {
    const text = $("#say").value.trim();
    if (!text || this.answering() || !this.connected()) return;
    const turn = this.state.messages.length ? Math.max(...this.state.messages.map((m) => m.turn || 0)) + 1 : 2;
    this.state.messages.push({ role: "candidate", turn, text, done: true });
    this.state.pending = { text, after: turn };
    this.save();  // before sending: a reload from here on still knows the answer was sent
    this.ws.send(JSON.stringify({ type: "say", text }));
    $("#say").value = "";
    store.drop("coach.draft");
    this.render();
  },

  finish(report) {
    this.ended = true;
    const s = this.state;
    remember({ session_id: s.session_id, token: s.token, question_id: s.question.id, title: s.question.title,
      started_at: (history_().find((h) => h.session_id === s.session_id) || {}).started_at || Date.now(), score: report.score,
      dimensions: Object.fromEntries(report.dimensions.map((d) => [d.dimension, d.score])) });
    store.drop("coach.current");
    store.drop("coach.draft");
    if (this.ws) this.ws.close();
    location.hash = `#/report/${s.session_id}`;
  },

  speak(text) {
    if ($("#speak").checked && "speechSynthesis" in window) speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  },

  // The interview screen draws itself from the state (interview-view.js).
  render() { renderInterview(this); },
  renderPhase() { renderPhase(this.state); },
};
