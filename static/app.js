// Concierge's only hand-written JavaScript: htmx settings and the toast listener.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) {
      // Swap validation failures (422) and conflicts (409) so errors show beside the
      // fields; other errors stay unswapped and raise a toast instead.
      htmx.config.responseHandling = [
        { code: "204", swap: false },
        { code: "[23]..", swap: true },
        { code: "422", swap: true, error: false },
        { code: "409", swap: true, error: false },
        { code: "[45]..", swap: false, error: true },
      ];
    }
  });

  function showToast(kind, message) {
    var box = document.getElementById("toasts");
    if (!box || !message) return;
    var t = document.createElement("div");
    t.className = "toast toast-" + (kind || "info");
    t.setAttribute("role", kind === "error" ? "alert" : "status");
    t.textContent = message;
    box.appendChild(t);
    setTimeout(function () { t.remove(); }, 5000);
  }

  document.body && document.body.addEventListener("toast", function (e) {
    showToast(e.detail.kind, e.detail.message);
  });
  document.addEventListener("toast", function (e) {
    if (e.target === document.body) return;
    showToast(e.detail.kind, e.detail.message);
  });
  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && !xhr.getResponseHeader("HX-Trigger")) {
      showToast("error", "Something went wrong (" + xhr.status + "). Please try again.");
    }
  });
  document.addEventListener("htmx:sendError", function () {
    showToast("error", "Could not reach Concierge. Check your connection.");
  });
})();
