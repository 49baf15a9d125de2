// History and progress, kept in this browser only (there are no accounts).
import { $, store, el, nice } from "./util.js";
import { begin } from "./start.js";

export const history_ = () => store.get("coach.history", []);
export function remember(entry) {
  const all = history_().filter((h) => h.session_id !== entry.session_id);
  all.unshift(entry);
  store.set("coach.history", all.slice(0, 200));
}
export function renderHistory() {
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
