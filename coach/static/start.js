// The start screen: the questions with their filters, the mode, and starting an interview.
import { $, store, KINDS, nice, preview, el } from "./util.js";
import { history_ } from "./history.js";
import { route } from "./router.js";

let topics = null;
let startRequest = 0;
export async function renderStart() {
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
export function startNote(text) {
  $("#start-note").textContent = text;
  $("#start-note").hidden = !text;
}
export function begin(filters) {
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
