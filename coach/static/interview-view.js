// The interview screen: the transcript, the phases, the coach (rubric, Hint, End & grade,
// suggestions), the answer box and voice.
import { $, store, PHASES, nice, el, clock } from "./util.js";
import { interview } from "./session.js";

export function renderInterview(iv) {
  const s = iv.state;
  if (!s) return;
  $("#q-title").textContent = s.question ? s.question.title : "Starting…";
  $("#q-meta").textContent = s.question ? `${nice(s.question.kind)} · ${s.question.difficulty} · ${s.mode} mode` : "";
  const notes = [];
  if (s.provider === "offline") notes.push("Offline coach: no LLM is configured, so the interviewer and coach run from the question bank.");
  if (s.notice) notes.push(s.notice);
  $("#notice").hidden = notes.length === 0;
  $("#notice").textContent = notes.join(" ");
  renderPhase(s);
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
  list.setAttribute("aria-busy", String(iv.streaming()));
  const busy = iv.answering();
  $("#send").disabled = busy || !iv.connected();
  $("#hint").disabled = $("#end").disabled = !iv.connected() || Boolean(s.grading);
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
}

export function renderPhase(s) {
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
}
setInterval(() => { if (!$("#interview").hidden && interview.state) interview.renderPhase(); }, 1000);

// Phone: the coach panel opens over the chat and closes again. The header's height sizes the
// interview so that the transcript and the composer fill exactly one window.
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
