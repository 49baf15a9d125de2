// Coach browser client: protocol v1 over /ws/interview (docs/protocol.md). No dependencies.
// The entry module: the theme, then the screen the address names. The parts:
//   util.js            the DOM, this browser's storage, names, the phase plans
//   router.js          which screen the hash names
//   start.js           the start screen: questions, filters, mode, starting an interview
//   session.js         the interview's websocket session and its state
//   interview-view.js  the interview screen: transcript, phases, coach, answer box, voice
//   report.js          the report
//   history.js         past interviews and progress by dimension
import { $, store } from "./util.js";
import { route } from "./router.js";
import { interview } from "./session.js";

// The browser tests, and anyone looking in the console, reach the interview by this name.
window.interview = interview;

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

route();
