// The desk's only script: save drafts as the editor types, remember the editor's name, light a
// fact's evidence when it is clicked, show the start form's fields of the chosen task only, and
// times in the reader's own time zone. The pages work without it (Re-check saves too; every
// field shows, and times are UTC).
"use strict";

function saveDrafts() {
  const form = document.getElementById("edit");
  const text = document.getElementById("text");
  const saved = document.getElementById("saved");
  if (!form || !text) return;
  let timer = null;
  let pending = null;
  const save = () => {
    timer = null;
    const body = new FormData();
    body.append("csrf", form.elements.csrf.value);
    body.append("text", text.value);
    pending = fetch(form.dataset.draft, { method: "POST", body, credentials: "same-origin" })
      .then((r) => { saved.textContent = r.ok ? "draft saved" : "draft NOT saved (" + r.status + ")"; })
      .catch(() => { saved.textContent = "draft NOT saved (offline?)"; });
  };
  text.addEventListener("input", () => {
    saved.textContent = "editing…";
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 400);
  });
  // Leaving the page with an unsaved edit: send it now (keepalive outlives the page).
  window.addEventListener("pagehide", () => {
    if (!timer) return;
    clearTimeout(timer);
    const body = new FormData();
    body.append("csrf", form.elements.csrf.value);
    body.append("text", text.value);
    fetch(form.dataset.draft, { method: "POST", body, credentials: "same-origin", keepalive: true });
  });
  const editor = document.getElementById("editor");
  if (editor) {
    editor.value = localStorage.getItem("desk-editor") || "";
    editor.addEventListener("change", () => localStorage.setItem("desk-editor", editor.value));
  }
}

function showEvidence() {
  document.querySelectorAll("button.fact").forEach((button) => {
    button.addEventListener("click", () => {
      const id = button.dataset.fact;
      document.querySelectorAll(".active").forEach((el) => el.classList.remove("active"));
      button.classList.add("active");
      const marks = Array.from(document.querySelectorAll("mark.evidence"))
        .filter((m) => m.dataset.facts.split(" ").includes(id));
      marks.forEach((m) => m.classList.add("active"));
      if (marks.length) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
    });
  });
}

function followTask() {
  const form = document.getElementById("start");
  if (!form) return;
  const update = () => {
    const task = (form.querySelector("input[name=task]:checked") || {}).value;
    const to = (form.querySelector("select[name=to]") || {}).value;
    form.querySelectorAll("[data-tasks]").forEach((field) => {
      const off = !field.dataset.tasks.split(" ").includes(task)
        || (field.dataset.whenTo !== undefined && field.dataset.whenTo !== to);
      field.hidden = off;
      // A hidden field is not posted: the task gets its own defaults, not another task's choice.
      field.querySelectorAll("select, textarea").forEach((input) => { input.disabled = off; });
    });
  };
  form.addEventListener("change", update);
  update();
}

function localTimes() {
  document.querySelectorAll("time[datetime]").forEach((el) => {
    const moment = new Date(el.getAttribute("datetime"));
    if (isNaN(moment)) return;
    el.title = el.textContent;
    el.textContent = moment.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  });
}

// The waiting page: follow the run's events (elapsed time, what the model is doing, the text as it
// comes) instead of reloading every second; reload once the run is over, or if the stream fails.
function followRun() {
  const live = document.getElementById("live");
  if (!live || !window.EventSource) return;
  const progress = document.getElementById("progress");
  const text = document.getElementById("live-text");
  const events = new EventSource(live.dataset.events);
  events.onmessage = (message) => {
    const run = JSON.parse(message.data);
    progress.textContent = run.doing + " · " + Math.round(run.elapsed) + " s · " + run.tokens + " tokens so far";
    text.textContent = run.text;
  };
  events.addEventListener("end", () => { events.close(); window.location.reload(); });
  events.onerror = () => { events.close(); setTimeout(() => window.location.reload(), 2000); };
}

document.addEventListener("DOMContentLoaded", () => { saveDrafts(); showEvidence(); followTask(); localTimes(); followRun(); });

// The house memory's forms (accept, reject, dismiss) carry the editor's name, as Approve does.
document.querySelectorAll("input.house-editor").forEach((input) => {
  input.form.addEventListener("submit", () => {
    const typed = document.getElementById("editor");
    input.value = (typed && typed.value) || localStorage.getItem("desk-editor") || "";
  });
});
