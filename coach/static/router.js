// Routing: the hash names the screen (#/, #/interview, #/report/<id>?token=, #/history).
import { $, store } from "./util.js";
import { history_, renderHistory } from "./history.js";
import { renderStart } from "./start.js";
import { interview } from "./session.js";
import { showReport } from "./report.js";

const screens = ["start", "interview", "report", "history"];
function show(name) {
  for (const s of screens) $("#" + s).hidden = s !== name;
  $("#main").focus({ preventScroll: true });
}
export async function route() {
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
