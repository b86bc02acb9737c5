// The application editor: formset rows, and never losing an edit.

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

// Dirty until an autosave of the latest edit has come back.
let dirty = false;
let inFlight = false;
function editor() { return document.getElementById("editor"); }
document.addEventListener("input", function (e) { if (editor() && editor().contains(e.target)) dirty = true; });
document.addEventListener("change", function (e) { if (editor() && editor().contains(e.target)) dirty = true; });
document.addEventListener("htmx:beforeRequest", function (e) { if (e.target === editor()) { inFlight = true; dirty = false; } });
document.addEventListener("htmx:afterRequest", function (e) { if (e.target === editor()) inFlight = false; });
window.addEventListener("beforeunload", function (event) {
  if (dirty || inFlight) { event.preventDefault(); event.returnValue = ""; }
});

// Before another form on the page is sent (submit, a warning's reason), save
// the editor first, so the last edit is never dropped.
document.addEventListener("submit", async function (event) {
  const form = event.target;
  const ed = editor();
  if (!ed || form === ed || !(dirty || inFlight) || form.dataset.flushed) return;
  event.preventDefault();
  const status = document.getElementById("autosave-status");
  const response = await fetch(ed.getAttribute("hx-post"), {
    method: "POST", body: new FormData(ed), headers: { "HX-Request": "true" }, credentials: "same-origin",
  });
  const html = await response.text();
  if (status) status.innerHTML = html.split('<input type="hidden" name="version"')[0];
  if (html.indexOf('data-testid="saved"') === -1) return;  // the save failed: the status says why
  dirty = false;
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
