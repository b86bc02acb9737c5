// The application editor: formset rows, and never losing an edit (decision 0014).

// "Add a row" clones the hidden template and renumbers it.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  event.preventDefault();
  const prefix = button.dataset.addRow;
  const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  const template = document.getElementById(prefix + "-template");
  const body = document.getElementById(prefix + "-rows");
  const index = parseInt(total.value, 10);
  const row = template.content.firstElementChild.cloneNode(true);
  row.innerHTML = row.innerHTML.replace(/__prefix__/g, index);
  body.appendChild(row);
  total.value = index + 1;
  const first = row.querySelector("input, select");
  if (first) first.focus();
});

// --- per-field state ---------------------------------------------------------------
// Each block (a field, or a whole table: sessions, lecturers, topic_scope) is
//   pending: typed since the last save was sent; sending: in the save under way;
//   refused: held by the server (invalid), its typed value kept on the page.
// The page asks before leaving while any block is pending, sending or refused.
const CONTROL_FIELDS = new Set(["version", "checks_seen", "overrides", "quiet", "touched", "reveal", "csrfmiddlewaretoken"]);
let pending = new Set();
let sending = new Set();
let refused = new Set();
const touched = new Set();
let inFlight = false;
let leaving = false;       // "采用对方版本" reloads on purpose
let focusAfterSave = false;
let retryTimer = null;

function editor() { return document.getElementById("editor"); }
function setControl(id, value) { const input = document.getElementById(id); if (input) input.value = value; }

function blockOf(input) {
  const name = input.name || "";
  if (name.indexOf("sessions-") === 0) return "sessions";
  if (name.indexOf("lecturers-") === 0) return "lecturers";
  if (name.indexOf("topic_") === 0) return "topic_scope";
  return name;
}

function unsaved() { return inFlight || pending.size > 0 || sending.size > 0 || refused.size > 0; }

function saveNow() {
  const ed = editor();
  if (ed && window.htmx) window.htmx.trigger(ed, "save-now");
}

function onEdit(event) {
  const ed = editor();
  const input = event.target;
  if (!ed || !ed.contains(input) || !input.name || CONTROL_FIELDS.has(input.name)) return;
  const block = blockOf(input);
  pending.add(block);
  touched.add(block);
  setControl("touched-field", Array.from(touched).join(","));
  // A held value is retried as soon as it is corrected (short debounce while typing).
  if (refused.has(block)) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(saveNow, 800);
  }
}
document.addEventListener("input", onEdit);
document.addEventListener("change", onEdit);

document.addEventListener("htmx:beforeRequest", function (e) {
  if (e.target !== editor()) return;
  inFlight = true;
  pending.forEach(function (b) { sending.add(b); });
  pending = new Set();
});

document.addEventListener("htmx:afterRequest", function (e) {
  if (e.target !== editor()) return;
  inFlight = false;
  if (!e.detail.successful) {  // nothing of this save is known to be stored
    sending.forEach(function (b) { pending.add(b); });
    sending = new Set();
    const status = document.getElementById("autosave-status");
    if (status) status.innerHTML = '<span class="failed" data-testid="save-error">保存失败（网络或服务器问题），您输入的内容仍在页面上，稍后会重试。</span>';
  }
});

function markRefused() {
  document.querySelectorAll("#editor [data-block]").forEach(function (field) {
    field.classList.toggle("refused", refused.has(field.dataset.block));
  });
  ["sessions", "lecturers"].forEach(function (name) {
    const body = document.getElementById(name + "-rows");
    if (body) body.closest("table").classList.toggle("refused", refused.has(name));
  });
}

function errorTarget() {
  const ed = editor();
  if (!ed) return null;
  const blocks = ed.querySelectorAll(".field-msgs");
  for (const block of blocks) {
    if (!block.querySelector(".msg.error")) continue;
    const name = block.id.replace("msgs-", "");
    const rows = document.getElementById(name + "-rows");
    const container = block.closest(".field") || (rows ? rows.closest("table") : null) || block.closest("fieldset");
    if (!container) { block.setAttribute("tabindex", "-1"); return block; }
    return container.querySelector('[aria-invalid="true"]') ||
      container.querySelector('input:not([type="hidden"]), select, textarea') || block;
  }
  return null;
}

function focusFirstError() {
  const target = errorTarget();
  if (!target) return;
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}

// After each answer: which blocks the server holds, and where to look.
document.addEventListener("htmx:afterSwap", function (e) {
  if (e.target.id !== "autosave-status") return;
  const status = e.target.querySelector("[data-testid]");
  const kind = status ? status.dataset.testid : "";
  if (kind === "saved") {
    refused = new Set();
    sending = new Set();
  } else if (kind === "save-partial") {
    refused = new Set((status.dataset.refused || "").split(" ").filter(Boolean));
    sending = new Set();
  } else {  // refused as a whole (another version, or not editable any more): nothing was stored
    sending.forEach(function (b) { pending.add(b); });
    sending = new Set();
  }
  markRefused();
  if (status && status.dataset.conflict) {
    const conflict = document.getElementById("conflict");
    if (conflict) conflict.scrollIntoView({ block: "start" });
  } else if (focusAfterSave) {
    focusFirstError();
  }
  focusAfterSave = false;
});

window.addEventListener("beforeunload", function (event) {
  if (leaving || !unsaved()) return;
  event.preventDefault();
  event.returnValue = "";
});

// 保存: save now (everything valid), show every message, and go to the first field in error.
document.addEventListener("submit", function (event) {
  const ed = editor();
  if (!ed || event.target !== ed || !window.htmx) return;
  event.preventDefault();
  setControl("quiet-field", "");
  setControl("reveal-field", "1");
  focusAfterSave = true;
  saveNow();
});

// Two windows: keep mine (overwrite the version shown beside) or take theirs (reload it).
document.addEventListener("click", function (event) {
  const keep = event.target.closest("[data-keep-mine]");
  if (keep) {
    event.preventDefault();
    setControl("overrides-field", keep.dataset.keepMine);
    saveNow();
    return;
  }
  const take = event.target.closest("[data-take-theirs]");
  if (take) {
    event.preventDefault();
    leaving = true;
    window.location.assign(window.location.pathname);
  }
});

// The deadline banner follows the call: each autosave answers it; a tab coming back asks again.
document.addEventListener("visibilitychange", function () {
  const banner = document.getElementById("deadline-banner");
  if (document.visibilityState !== "visible" || !banner || !banner.dataset.refresh || !window.htmx) return;
  window.htmx.ajax("GET", banner.dataset.refresh, { target: "#deadline-banner", swap: "outerHTML" });
});

// On load (a page answered 保存 without script, or reloaded): go to the first field in error
// when the server says something was not saved.
document.addEventListener("DOMContentLoaded", function () {
  const status = document.querySelector("#autosave-status [data-testid]");
  if (status && status.dataset.testid === "save-partial") {
    refused = new Set((status.dataset.refused || "").split(" ").filter(Boolean));
    markRefused();
    focusFirstError();
  }
});

// Before another form on the page is sent (submit, a warning's reason), save
// the editor first, so the last edit is never dropped.
document.addEventListener("submit", async function (event) {
  const form = event.target;
  const ed = editor();
  if (!ed || form === ed || !unsaved() || form.dataset.flushed) return;
  event.preventDefault();
  const status = document.getElementById("autosave-status");
  const response = await fetch(ed.getAttribute("hx-post"), {
    method: "POST", body: new FormData(ed), headers: { "HX-Request": "true" }, credentials: "same-origin",
  });
  const html = await response.text();
  if (status) status.innerHTML = html.split('<input type="hidden" name="version"')[0];
  if (html.indexOf('data-testid="saved"') === -1) {  // held or refused: the status says why
    const shown = status ? status.querySelector("[data-testid]") : null;
    if (shown && shown.dataset.refused) {
      refused = new Set(shown.dataset.refused.split(" ").filter(Boolean));
      markRefused();
      focusFirstError();
    }
    return;
  }
  pending = new Set();
  sending = new Set();
  refused = new Set();
  form.dataset.flushed = "1";
  form.submit();
}, true);

// An autosave replaces the check list; keep reasons typed but not yet saved.
let typedReasons = {};
document.addEventListener("htmx:beforeSwap", function (e) {
  if (e.target.id !== "autosave-status") return;
  typedReasons = {};
  document.querySelectorAll("#checks textarea[data-code]").forEach(function (t) { typedReasons[t.dataset.code] = t.value; });
});
document.addEventListener("htmx:afterSettle", function () {
  document.querySelectorAll("#checks textarea[data-code]").forEach(function (t) {
    if (typedReasons[t.dataset.code] !== undefined) t.value = typedReasons[t.dataset.code];
  });
  typedReasons = {};
});
