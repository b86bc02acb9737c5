// Behaviour for every page. No inline script anywhere (Content-Security-Policy):
// templates mark elements with data attributes and this file acts on them.

// <select data-autosubmit>: send its form when the choice changes.
document.addEventListener("change", function (event) {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});

// <select data-slot-select>: a value "date|half_day" fills the form's date and
// half_day fields, then sends the form (attendance by session).
document.addEventListener("change", function (event) {
  const select = event.target.closest("select[data-slot-select]");
  if (!select || !select.form || !select.value) return;
  const parts = select.value.split("|");
  select.form.elements.date.value = parts[0];
  select.form.elements.half_day.value = parts[1];
  select.form.submit();
});

// <a data-print>: print the page.
document.addEventListener("click", function (event) {
  const link = event.target.closest("[data-print]");
  if (!link) return;
  event.preventDefault();
  window.print();
});

// Idle sessions: the server ends a session after data-session-idle seconds
// without a request; a warning shows data-session-warning seconds before, and
// "继续使用" sends a request that counts as activity. At the limit the page
// logs out (the logout form) and shows the login page.
(function () {
  const body = document.body;
  const idle = parseInt(body.dataset.sessionIdle || "0", 10);
  if (!idle) return;
  const warnBefore = Math.min(parseInt(body.dataset.sessionWarning || "60", 10), idle);
  const banner = document.getElementById("session-warning");
  const countdown = banner && banner.querySelector("[data-countdown]");
  let lastActivity = Date.now();
  let ended = false;

  function touch() { lastActivity = Date.now(); if (banner) banner.hidden = true; }

  function logout() {
    ended = true;
    const form = document.getElementById("logout-form");
    if (!form) { window.location.href = body.dataset.timeoutUrl; return; }
    const next = document.createElement("input");
    next.type = "hidden"; next.name = "next"; next.value = body.dataset.timeoutUrl;
    form.appendChild(next);
    form.submit();
  }

  function tick() {
    if (ended) return;
    const left = idle - Math.floor((Date.now() - lastActivity) / 1000);
    if (left <= 0) { logout(); return; }
    if (banner && left <= warnBefore) {
      banner.hidden = false;
      if (countdown) countdown.textContent = String(left);
    }
  }

  // Every request to the server (htmx autosave, the keepalive) is activity.
  document.addEventListener("htmx:afterRequest", touch);
  if (banner) {
    banner.querySelector("[data-keepalive]").addEventListener("click", function () {
      fetch(body.dataset.keepaliveUrl, { credentials: "same-origin" }).then(function (response) {
        if (response.status === 204) touch(); else logout();
      });
    });
  }
  window.setInterval(tick, 1000);
})();
