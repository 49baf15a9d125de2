// What every part of the page uses: the DOM, this browser's storage, names and the phase plans.

export const $ = (sel) => document.querySelector(sel);
export const store = {
  get(key, fallback) { try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch { return fallback; } },
  set(key, value) { localStorage.setItem(key, JSON.stringify(value)); },
  drop(key) { localStorage.removeItem(key); },
};
// The phase plans of coach/interview/phases.py (DESIGN and STAR), in order: the server's `phase`
// frames name only the current phase, and the page draws the whole plan and counts the phases done.
export const PHASES = {
  system_design: ["requirements", "estimation", "high_level_design", "deep_dive", "wrap_up"],
  behavioral: ["situation_and_task", "actions", "results", "reflection"],
};
export const KINDS = { system_design: "System design", behavioral: "Leadership (STAR)" };
export const nice = (s) => KINDS[s] || String(s).replace(/_/g, " ");
export const preview = (text, n = 140) => (text.length > n ? `${text.slice(0, text.lastIndexOf(" ", n))}…` : text);
export const el = (tag, attrs = {}, ...kids) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const kid of kids) node.append(kid);
  return node;
};
export function clock(seconds) { return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`; }
