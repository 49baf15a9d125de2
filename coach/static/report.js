// The report: score, dimensions, key points with evidence, what to practise next, timeline.
import { $, el, nice, clock } from "./util.js";
import { begin } from "./start.js";

function reportProblem(text) {
  $("#r-title").textContent = "Report not available";
  $("#r-notices").replaceChildren(el("p", { class: "notice", text }), el("p", {}, el("a", { href: "#/", text: "Start an interview" })));
}
export async function showReport(id, token) {
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
