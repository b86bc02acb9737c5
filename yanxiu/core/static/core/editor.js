// Formset rows: "add a row" clones the hidden template and renumbers it.
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
// Warn before leaving with an autosave still pending.
let pending = false;
document.addEventListener("htmx:beforeRequest", function () { pending = true; });
document.addEventListener("htmx:afterRequest", function () { pending = false; });
window.addEventListener("beforeunload", function (event) { if (pending) { event.preventDefault(); event.returnValue = ""; } });
