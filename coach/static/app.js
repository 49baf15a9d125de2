// Coach browser client: protocol v1 over /ws/interview (docs/protocol.md). No dependencies.
"use strict";

const $ = (sel) => document.querySelector(sel);
const store = {
  get(key, fallback) { try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch { return fallback; } },
  set(key, value) { localStorage.setItem(key, JSON.stringify(value)); },
  drop(key) { localStorage.removeItem(key); },
};
// The phase plans of coach/interview/phases.py (DESIGN and STAR), in order: the server's `phase`
// frames name only the current phase, and the page draws the whole plan and counts the phases done.
const PHASES = {
  system_design: ["requirements", "estimation", "high_level_design", "deep_dive", "wrap_up"],
  behavioral: ["situation_and_task", "actions", "results", "reflection"],
};
const KINDS = { system_design: "System design", behavioral: "Leadership (STAR)" };
const nice = (s) => KINDS[s] || String(s).replace(/_/g, " ");
const preview = (text, n = 140) => (text.length > n ? `${text.slice(0, text.lastIndexOf(" ", n))}…` : text);
const el = (tag, attrs = {}, ...kids) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const kid of kids) node.append(kid);
  return node;
};

// ---- theme ------------------------------------------------------------------------------
function applyTheme() {
  const theme = store.get("coach.theme", null);
  if (theme) document.documentElement.dataset.theme = theme; else delete document.documentElement.dataset.theme;
}
$("#theme").addEventListener("click", () => {
  const dark = document.documentElement.dataset.theme === "dark" ||
    (!document.documentElement.dataset.theme && matchMedia("(prefers-color-scheme: dark)").matches);
  store.set("coach.theme", dark ? "light" : "dark");
  applyTheme();
});
applyTheme();

// ---- routing ----------------------------------------------------------------------------
const screens = ["start", "interview", "report", "history"];
function show(name) {
  for (const s of screens) $("#" + s).hidden = s !== name;
  $("#main").focus({ preventScroll: true });
}
async function route() {
  const hash = location.hash || "#/";
  if (hash.startsWith("#/report/")) {
    const [id, query] = hash.slice("#/report/".length).split("?");
    const token = new URLSearchParams(query || "").get("token") || (history_().find((h) => h.session_id === id) || {}).token;
    show("report");
    await showReport(id, token);
  } else if (hash === "#/interview" && store.get("coach.current", null)) {
    show("interview");
    interview.open();
  } else if (hash === "#/history") {
    show("history");
    renderHistory();
  } else {
    show("start");
    await renderStart();
  }
}
window.addEventListener("hashchange", route);

// ---- history (this browser only) --------------------------------------------------------
const history_ = () => store.get("coach.history", []);
function remember(entry) {
  const all = history_().filter((h) => h.session_id !== entry.session_id);
  all.unshift(entry);
  store.set("coach.history", all.slice(0, 200));
}
function renderHistory() {
  const rows = history_();
  $("#h-empty").hidden = rows.length > 0;
  $("#h-table").hidden = rows.length === 0;
  renderProgress(rows);
  const body = $("#h-table tbody");
  body.replaceChildren(...rows.map((h) => el("tr", {},
    el("td", { text: new Date(h.started_at).toLocaleString() }),
    el("td", {}, h.score == null ? el("span", { text: h.title }) : el("a", { href: `#/report/${h.session_id}`, text: h.title })),
    el("td", { text: h.score == null ? "not graded" : `${h.score}/100` }),
    el("td", { class: "actions" },
      ...(h.score == null ? [Object.assign(el("button", { type: "button", text: "Resume", "aria-label": `Resume: ${h.title}` }), { onclick: () => resume(h) })] : []),
      Object.assign(el("button", { type: "button", text: "Remove", "aria-label": `Remove from history: ${h.title}` }), { onclick: () => forget(h) })))));
}
// Progress: each dimension's scores across graded interviews (oldest first), weakest first by
// the average of the last three, with one click to a question that trains it.
function renderProgress(rows) {
  const graded = rows.filter((h) => h.score != null && h.dimensions).reverse();
  const scores = {};
  for (const h of graded) for (const [d, v] of Object.entries(h.dimensions)) (scores[d] ||= []).push(v);
  const recent = (list) => Math.round(list.slice(-3).reduce((a, b) => a + b, 0) / Math.min(3, list.length));
  const dims = Object.keys(scores).sort((a, b) => recent(scores[a]) - recent(scores[b]) || a.localeCompare(b));
  $("#progress").hidden = dims.length === 0;
  $("#p-table tbody").replaceChildren(...dims.map((d, i) => el("tr", {},
    el("td", { text: nice(d) }),
    el("td", { text: scores[d].join(" → ") }),
    el("td", { text: String(recent(scores[d])) }),
    el("td", {}, i < 3 ? Object.assign(el("button", { type: "button", text: `Practise ${nice(d)}`, "aria-label": `Practise a question that trains ${nice(d)}` }),
      { onclick: () => practise(d) }) : ""))));
}
async function practise(dimension) {
  // The questions that weigh this dimension most, the one practised least in this browser first.
  const list = await (await fetch(`/api/questions?dimension=${encodeURIComponent(dimension)}`)).json();
  const past = history_();
  const times = (q) => past.filter((h) => h.question_id === q.id).length;
  const pick = list.slice().sort((a, b) => times(a) - times(b))[0];
  if (pick) begin({ question_id: pick.id });
}
function forget(entry) {
  store.set("coach.history", history_().filter((h) => h.session_id !== entry.session_id));
  const current = store.get("coach.current", null);
  if (current && current.session_id === entry.session_id) store.drop("coach.current");
  store.drop(`coach.saved.${entry.session_id}`);
  renderHistory();
}
function resume(entry) {
  // The server replays the whole interview from the first frame, so nothing else is needed.
  const current = store.get("coach.current", null);
  if (!current || current.session_id !== entry.session_id) {
    if (current && current.session_id) store.set(`coach.saved.${current.session_id}`, current);
    const client_id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const saved = store.get(`coach.saved.${entry.session_id}`, null);
    store.set("coach.current", saved ? { ...saved, client_id, pending: null, grading: false }
      : { client_id, session_id: entry.session_id, token: entry.token, mode: "practice", last_seq: 0, messages: [], suggestions: [], coverage: null, phase: null });
    store.drop(`coach.saved.${entry.session_id}`);
  }
  location.hash = "#/interview";
}

// ---- start screen -----------------------------------------------------------------------
let topics = null;
let startRequest = 0;
async function renderStart() {
  const form = new FormData($("#filters"));
  const params = new URLSearchParams([...form].filter(([, v]) => v));
  const request = ++startRequest;
  const list = await (await fetch("/api/questions?" + params)).json();
  if (request !== startRequest) return;  // the filters changed while this list was on its way
  // Topics grouped by the kind of question they belong to (a flat list of seventy is a wall).
  topics ??= fetch("/api/questions").then((r) => r.json()).then((all) => {
    $("#filters select[name=topic]").append(...Object.keys(KINDS).map((kind) => {
      const names = [...new Set(all.filter((q) => q.kind === kind).flatMap((q) => q.topics))].sort();
      return el("optgroup", { label: KINDS[kind] }, ...names.map((t) => el("option", { value: t, text: t })));
    }));
  });
  $("#no-match").hidden = list.length > 0;
  const past = history_();
  $("#questions").replaceChildren(...list.map((q) => {
    const mine = past.filter((h) => h.question_id === q.id);
    const graded = mine.find((h) => h.score != null);
    const stats = mine.length ? `Practised ${mine.length}×${graded ? `, last score ${graded.score}/100` : ""}` : "Not practised yet";
    return el("li", {},
      el("strong", { class: "title", text: q.title }),
      el("span", { class: "tags" }, el("span", { class: "tag", text: nice(q.kind) }), el("span", { class: "tag", text: q.difficulty })),
      el("span", { class: "prompt", text: preview(q.prompt) }),
      ...(q.companies.length ? [el("span", { class: "muted asked", text: `Asked at ${q.companies.map((c) => c.name).join(", ")}` })] : []),
      el("span", { class: "muted stats", text: stats }),
      Object.assign(el("button", { type: "button", text: "Start", "aria-label": `Start: ${q.title}` }), { onclick: () => begin({ question_id: q.id }) }));
  }));
}
$("#filters").addEventListener("change", renderStart);
$("#surprise").addEventListener("click", async () => {
  const form = new FormData($("#filters"));
  const filters = Object.fromEntries([...form].filter(([, v]) => v));
  // Nothing to surprise with: say so here rather than open an interview that cannot start.
  const found = await (await fetch("/api/questions?" + new URLSearchParams(filters))).json();
  if (!found.length) { startNote("No question matches these filters: try another kind, difficulty or topic."); return; }
  begin(filters);
});
function startNote(text) {
  $("#start-note").textContent = text;
  $("#start-note").hidden = !text;
}
function begin(filters) {
  startNote("");
  // The interview left behind keeps its transcript in this browser, for Resume in History
  // (the server replays its own frames, not the candidate's words).
  const left = store.get("coach.current", null);
  if (left && left.session_id) store.set(`coach.saved.${left.session_id}`, left);
  const mode = document.querySelector("input[name=mode]:checked").value;
  // client_id tells this interview's connection from one left open by an earlier interview.
  const client_id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  store.set("coach.current", { client_id, start: filters, mode, last_seq: 0, messages: [], suggestions: [], coverage: null, phase: null });
  // From another screen the hash change routes; already on the interview screen, route now.
  if (location.hash === "#/interview") route();
  else location.hash = "#/interview";
}

// ---- interview --------------------------------------------------------------------------
// A sent answer stays `pending` (kept in the browser) until the interviewer's reply to it
// starts. After a reconnect the client asks `ping` once the replay is over: if the reply has
// still not begun, the answer may never have reached the server and is sent again. The server
// either stores it then, or says `busy` because it is already answering it. Nothing is lost
// and nothing is stored twice.
const interview = {
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
    if (p) {
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

  render() {
    const s = this.state;
    if (!s) return;
    $("#q-title").textContent = s.question ? s.question.title : "Starting…";
    $("#q-meta").textContent = s.question ? `${nice(s.question.kind)} · ${s.question.difficulty} · ${s.mode} mode` : "";
    const notes = [];
    if (s.provider === "offline") notes.push("Offline coach: no LLM is configured, so the interviewer and coach run from the question bank.");
    if (s.notice) notes.push(s.notice);
    $("#notice").hidden = notes.length === 0;
    $("#notice").textContent = notes.join(" ");
    this.renderPhase();
    // Update the transcript in place, so that assistive technology announces only what is new.
    const list = $("#transcript");
    if (list.dataset.session !== String(s.session_id)) { list.replaceChildren(); list.dataset.session = String(s.session_id); }
    for (const m of s.messages) {
      const key = `${m.role}-${m.turn}`;
      let item = list.querySelector(`li[data-key="${key}"]`);
      if (!item) {
        item = el("li", { class: m.role, "data-key": key }, el("span", { class: "who", text: m.role === "interviewer" ? "Interviewer" : "You" }), el("span", { class: "text" }));
        list.append(item);
      }
      const body = item.querySelector(".text");
      if (body.textContent !== m.text) body.textContent = m.text;
    }
    list.scrollTop = list.scrollHeight;
    // While a reply streams in, screen readers hold the live region and then read the whole turn.
    list.setAttribute("aria-busy", String(this.streaming()));
    const busy = this.answering();
    $("#send").disabled = busy || !this.connected();
    $("#hint").disabled = $("#end").disabled = !this.connected() || Boolean(s.grading);
    $("#say").setAttribute("aria-busy", String(busy));
    $("#typing").textContent = s.grading ? "Grading…" : busy && s.session_id ? "Interviewer is answering…" : "";
    const cov = s.coverage || { covered: [], total: 0 };
    $("#coverage").max = Math.max(1, cov.total);
    $("#coverage").value = cov.covered.length;
    // Before the first answer there is nothing to count yet ("0 / 0" read as broken).
    $("#coverage-text").textContent = cov.total ? `${cov.covered.length} / ${cov.total} key points covered` : "Key points covered: none yet";
    const visible = s.mode === "practice" || s.hintShown;
    $("#sugg-hidden").hidden = visible;
    $("#sugg-source").textContent = visible && s.suggestions.length ? (s.suggestionsSource === "model" ? "From the AI coach." : "From the offline coach.") : "";
    $("#suggestions").replaceChildren(...(visible ? s.suggestions : []).map((i) =>
      el("li", {}, el("span", { class: "cat", text: nice(i.category) }), el("strong", { text: i.title }), el("br"), i.detail)));
  },

  renderPhase() {
    const s = this.state;
    if (!s.question || !s.phase) { $("#phase").replaceChildren(); return; }
    const names = PHASES[s.question.kind] || [];
    // left_s runs to the phase's scheduled end: reaching a phase early keeps the time saved
    // rather than restarting the clock at a full budget.
    const planned = s.phase.left_s ?? s.phase.budget_s - s.phase.elapsed_s;
    const left = Math.max(0, planned - Math.floor((Date.now() - s.phase.at) / 1000));
    // Out of time in this part: say so, rather than a clock stuck at 0:00.
    const until = left > 0 ? `${clock(left)} left` : "time's up: wrap this part up";
    const at = names.indexOf(s.phase.phase);
    $("#phase").replaceChildren(...names.map((n, i) => {
      const now = i === at;
      return el("span", now ? { class: "now", "aria-current": "step" } : i < at ? { class: "done" } : {}, `${nice(n)}${now ? ` · ${until}` : ""}`);
    }));
  },
};
setInterval(() => { if (!$("#interview").hidden && interview.state) interview.renderPhase(); }, 1000);

// Phone: the coach panel opens over the chat and closes again; the header's height sizes the
// interview so that the transcript and the composer fill exactly one screen.
function coachPanel(open) {
  $("#coach-panel").classList.toggle("open", open);
  $("#coach-toggle").setAttribute("aria-expanded", String(open));
  (open ? $("#coach-close") : $("#coach-toggle")).focus();
}
$("#coach-toggle").addEventListener("click", () => coachPanel(!$("#coach-panel").classList.contains("open")));
$("#coach-close").addEventListener("click", () => coachPanel(false));
const fitHeader = () => document.documentElement.style.setProperty("--top-h", `${$(".top").offsetHeight}px`);
window.addEventListener("resize", fitHeader);
fitHeader();

$("#composer").addEventListener("submit", (e) => { e.preventDefault(); interview.send(); });
$("#say").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); interview.send(); }
});
$("#say").addEventListener("input", () => store.set("coach.draft", $("#say").value));
$("#hint").addEventListener("click", () => {
  if (!interview.connected()) return;
  interview.state.hintShown = true;
  interview.ws.send(JSON.stringify({ type: "hint" }));
  interview.render();
});
// Ending is final: early in an interview (fewer than half of its phases done) the first press
// asks to confirm, so that a stray Enter does not end it; past half way, End ends at once.
function phasesDone(s) {
  const names = (s.question && PHASES[s.question.kind]) || [];
  const at = s.phase ? names.indexOf(s.phase.phase) : -1;
  return { done: Math.max(0, at), of: names.length };
}
function endNeedsConfirm(s) {
  const { done, of } = phasesDone(s);
  return of === 0 || done < of / 2;
}
let endArmed = null;
function disarmEnd() {
  clearTimeout(endArmed);
  endArmed = null;
  $("#end").textContent = "End & grade";
}
$("#end").addEventListener("click", () => {
  if (!interview.connected()) return;
  if (!endArmed && endNeedsConfirm(interview.state)) {
    $("#end").textContent = "Confirm: end & grade";
    endArmed = setTimeout(disarmEnd, 6000);
    return;
  }
  disarmEnd();
  interview.state.grading = true;
  interview.ws.send(JSON.stringify({ type: "end" }));
  interview.save();
  interview.render();
});

// ---- voice (where the browser offers it) ------------------------------------------------
const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
if (Recognition) {
  const mic = $("#mic");
  const rec = new Recognition();
  rec.continuous = true;
  rec.interimResults = false;
  rec.onresult = (e) => {
    const said = [...e.results].slice(e.resultIndex).map((r) => r[0].transcript).join(" ");
    $("#say").value = ($("#say").value + " " + said).trim();
  };
  rec.onend = () => mic.setAttribute("aria-pressed", "false");
  mic.hidden = false;
  mic.onclick = () => {
    if (mic.getAttribute("aria-pressed") === "true") rec.stop();
    else { rec.start(); mic.setAttribute("aria-pressed", "true"); }
  };
}
if ("speechSynthesis" in window) $("#speak-label").hidden = false;

// ---- report -----------------------------------------------------------------------------
function reportProblem(text) {
  $("#r-title").textContent = "Report not available";
  $("#r-notices").replaceChildren(el("p", { class: "notice", text }), el("p", {}, el("a", { href: "#/", text: "Start an interview" })));
}
async function showReport(id, token) {
  $("#r-title").textContent = "Report";
  for (const sel of ["#r-points", "#r-strengths", "#r-mistakes", "#r-next", "#r-notices", "#r-chart", "#r-transcript", "#r-timeline"]) $(sel).replaceChildren();
  $("#r-transcript-box").hidden = true;
  $("#r-timeline-box").hidden = true;
  $("#r-mistakes-box").hidden = true;
  $("#r-score").textContent = "";
  if (!token) { reportProblem("This report needs its full link, with the token, or the browser it was made in."); return; }
  const auth = { headers: { Authorization: `Bearer ${token}` } };
  const res = await fetch(`/api/sessions/${id}/report`, auth);
  if (!res.ok) {
    reportProblem(res.status === 409 ? "This interview has not been graded yet: open it from History and choose End & grade."
      : res.status === 404 ? "No report here: the link is wrong or incomplete (its token must match the interview)."
      : "The report could not be loaded just now; try again in a moment.");
    return;
  }
  const r = await res.json();
  $("#r-title").textContent = `Report: ${r.question}`;
  $("#r-score").textContent = `${r.score}/100`;
  $("#r-grader").textContent = `Graded by the ${r.grader.kind} grader (${r.grader.model}).`;
  $("#r-notices").replaceChildren(...r.notices.map((n) => el("p", { class: "notice", text: n })));
  const md = await (await fetch(`/api/sessions/${id}/report?format=md`, auth)).text();
  $("#r-download").href = URL.createObjectURL(new Blob([md], { type: "text/markdown" }));
  $("#r-download").download = `coach-report-${id.slice(0, 8)}.md`;
  $("#r-link").href = `${location.origin}/#/report/${id}?token=${encodeURIComponent(token)}`;
  $("#r-chart").replaceChildren(chart(r.dimensions));
  const label = (status) => status.charAt(0).toUpperCase() + status.slice(1);
  $("#r-points").replaceChildren(...r.key_points.map((k) => el("li", { class: k.covered ? "ok" : k.status === "partial" ? "part" : "miss" },
    el("strong", { text: `${label(k.status)}: ` }), k.text, el("br"),
    el("small", { class: "muted", text: k.note }),
    ...k.evidence.map((q) => el("blockquote", { text: `“${q}”` })),
    ...(k.covered || !k.strong_answer ? [] : [el("p", {}, el("em", { text: "A strong answer: " }), k.strong_answer)]))));
  $("#r-strengths").replaceChildren(...(r.strengths.length ? r.strengths : ["Nothing covered yet."]).map((s) => el("li", { text: s })));
  const mistakes = r.mistakes || [];
  $("#r-mistakes-box").hidden = !mistakes.length;
  $("#r-mistakes").replaceChildren(...mistakes.map((m) => el("li", {}, el("blockquote", { text: `“${m.quote}”` }), m.why)));
  const turns = r.transcript || [];
  $("#r-transcript-box").hidden = turns.length === 0;
  // Each turn with its time, and the phase named where a new one begins.
  let phase = null;
  $("#r-transcript").replaceChildren(...turns.flatMap((t) => {
    const head = t.phase && t.phase !== phase ? [el("li", { class: "phase-head" }, el("strong", { text: nice(t.phase) }))] : [];
    if (t.phase) phase = t.phase;
    const when = t.at_s == null ? "" : ` [${clock(t.at_s)}]`;
    // Numbered by turn: a phase heading is a list item too, and must not shift the numbers.
    return [...head, el("li", { class: t.role, value: t.turn }, el("strong", { text: `${t.role === "candidate" ? "You" : "Interviewer"}${when}: ` }), t.text)];
  }));
  const timeline = r.timeline || [];
  $("#r-timeline-box").hidden = timeline.length === 0;
  $("#r-timeline-sum").textContent = timeline.length ? `${clock(r.duration_s || 0)} in all; ${r.hints_used} hint${r.hints_used === 1 ? "" : "s"} asked for.` : "";
  $("#r-timeline").replaceChildren(...timeline.map((p) => el("tr", {},
    el("td", { text: nice(p.phase) }), el("td", { text: clock(p.started_s) }), el("td", { text: clock(p.duration_s) }),
    el("td", { text: String(p.answers) }), el("td", { text: String(p.hints) }))));
  $("#r-next").replaceChildren(...r.practice_next.map((p) => el("li", {},
    Object.assign(el("button", { type: "button", text: p.title }), { onclick: () => begin({ question_id: p.question_id }) }),
    " ", el("span", { class: "muted", text: p.reason }))));
}

function clock(seconds) { return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`; }

function chart(dimensions) {
  // No viewBox: the chart takes the page's width and its text keeps the page's size, so it
  // reads as well on a phone as on a desktop. Each row: the name and score, then the bar.
  const ns = "http://www.w3.org/2000/svg";
  const row = 44;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", "100%");
  svg.setAttribute("height", String(dimensions.length * row));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "Score per dimension: " + dimensions.map((d) => `${nice(d.dimension)} ${d.score} of 100`).join(", "));
  svg.classList.add("chart");
  const add = (tag, attrs, text) => {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text != null) n.textContent = text;
    svg.append(n);
  };
  dimensions.forEach((d, i) => {
    const y = i * row;
    add("text", { x: 0, y: y + 16 }, nice(d.dimension));
    add("text", { x: "100%", y: y + 16, "text-anchor": "end" }, `${d.score}`);
    add("rect", { class: "track", x: 0, y: y + 22, width: "100%", height: 14, rx: 3 });
    if (d.score > 0) add("rect", { class: "fill", x: 0, y: y + 22, width: `${d.score}%`, height: 14, rx: 3 });
  });
  return svg;
}

route();
