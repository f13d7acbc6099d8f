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

  // Live character and SMS-segment count beside SMS drafts (mirrors salon.MeasureSMS).
  var GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXT = "^{}\\[~]|€\f";
  function measure(text) {
    var septets = 0, gsm = true, units = 0;
    for (var ch of text) {
      if (GSM.indexOf(ch) >= 0) septets++;
      else if (EXT.indexOf(ch) >= 0) septets += 2;
      else gsm = false;
      units += ch.length;
    }
    var n = gsm ? septets : units, single = gsm ? 160 : 70, multi = gsm ? 153 : 67;
    var segs = n === 0 ? 0 : n <= single ? 1 : Math.ceil(n / multi);
    return { chars: Array.from(text).length, segments: segs, encoding: gsm ? "GSM-7" : "UCS-2" };
  }
  // A draft is measured as it will be sent: its merge fields filled for one real client
  // (data-merge holds that client's values, data-merge-name their first name).
  function fill(text, values) {
    if (!values) return text;
    return text.replace(/\{\{\s*([A-Za-z_]+)\s*\}\}/g, function (m, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : m;
    });
  }
  document.addEventListener("input", function (e) {
    var el = e.target;
    if (!el.matches || !el.matches("textarea[data-sms-counter]")) return;
    var out = document.getElementById(el.getAttribute("data-sms-counter"));
    if (!out) return;
    var values = null;
    try { values = el.dataset.merge ? JSON.parse(el.dataset.merge) : null; } catch (err) { values = null; }
    var m = measure(fill(el.value, values));
    var who = el.dataset.mergeName ? " for " + el.dataset.mergeName : "";
    out.textContent = m.chars + "/280 characters" + who + " · " + m.segments + " SMS segment" + (m.segments === 1 ? "" : "s") + " (" + m.encoding + ")";
  });

  // Hold-to-confirm: sends to 50+ clients need a ~600 ms press and hold, by
  // pointer, touch or a held Space/Enter. A short tap only shows a hint. Completing the
  // hold sets the proof field the server checks.
  var HOLD_MS = 600;
  function holdState(btn) { return btn._hold || (btn._hold = { timer: null, done: false }); }
  function startHold(btn) {
    var st = holdState(btn);
    if (st.timer) return;
    st.done = false;
    btn.classList.add("holding");
    var hint = btn.parentNode.querySelector(".hold-hint");
    if (hint) hint.textContent = "Keep holding…";
    st.timer = setTimeout(function () { st.done = true; }, HOLD_MS);
  }
  function endHold(btn) {
    var st = holdState(btn);
    if (!st.timer) return;
    clearTimeout(st.timer);
    st.timer = null;
    btn.classList.remove("holding");
    var form = btn.form, hint = btn.parentNode.querySelector(".hold-hint");
    if (st.done) {
      var proof = form.querySelector("[data-hold-proof]");
      if (proof) proof.value = "1";
      if (hint) hint.textContent = "";
      btn._allowSubmit = true;
      form.requestSubmit(btn);
    } else if (hint) {
      hint.textContent = "Hold to send";
    }
  }
  document.addEventListener("pointerdown", function (e) {
    var btn = e.target.closest && e.target.closest("button[data-hold]");
    if (btn) { e.preventDefault(); startHold(btn); }
  });
  document.addEventListener("pointerup", function (e) {
    var btn = e.target.closest && e.target.closest("button[data-hold]");
    if (btn) endHold(btn);
  });
  document.addEventListener("pointerleave", function (e) {
    var btn = e.target.closest && e.target.closest("button[data-hold]");
    if (btn) { var st = holdState(btn); st.done = false; endHold(btn); }
  }, true);
  document.addEventListener("keydown", function (e) {
    var btn = document.activeElement;
    if ((e.key === " " || e.key === "Enter") && btn && btn.matches && btn.matches("button[data-hold]")) {
      e.preventDefault();
      startHold(btn);
    } else if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
      // Cmd/Ctrl-Enter focuses the hold button; it never bypasses the gesture.
      var form = e.target.form, hold = form && form.querySelector("button[data-hold]");
      if (hold) { e.preventDefault(); hold.focus(); }
    }
  });
  document.addEventListener("keyup", function (e) {
    var btn = document.activeElement;
    if ((e.key === " " || e.key === "Enter") && btn && btn.matches && btn.matches("button[data-hold]")) endHold(btn);
  });
  // A plain click (or Enter) on a hold button never submits; only a completed hold does.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("button[data-hold]");
    if (btn && !btn._allowSubmit) { e.preventDefault(); e.stopPropagation(); }
  }, true);
  document.addEventListener("submit", function (e) {
    var btn = e.submitter;
    if (!btn || !btn.matches("button[data-hold]")) return;
    if (!btn._allowSubmit) { e.preventDefault(); e.stopImmediatePropagation(); return; }
    btn._allowSubmit = false;
  }, true);

  // Busy state for plain (non-htmx) forms, once for every form: while the next page
  // loads, the form's buttons are disabled and a "Working…" line shows beside the button
  // pressed. htmx forms say it through hx-indicator and hx-disabled-elt instead (htmx
  // cancels their submit event, so defaultPrevented tells them apart).
  function busyLine() {
    var s = document.createElement("span");
    s.className = "busy busy-auto";
    s.setAttribute("role", "status");
    s.dataset.testid = "busy";
    var dots = document.createElement("span");
    dots.className = "thinking-dots";
    dots.setAttribute("aria-hidden", "true");
    s.appendChild(dots);
    s.appendChild(document.createTextNode(" Working…"));
    return s;
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || !form.matches || (form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.target && form.target !== "_self") return;
    var btn = e.submitter || form.querySelector("button[type=submit], button:not([type])");
    // After this event the browser has taken the form's data (the pressed button's
    // name and value included), so disabling the buttons now loses nothing.
    setTimeout(function () {
      form.setAttribute("aria-busy", "true");
      form.querySelectorAll("button").forEach(function (b) {
        if (!b.disabled) { b.disabled = true; b.dataset.busyDisabled = "1"; }
      });
      if (!form.querySelector(".busy-auto")) {
        var line = busyLine();
        if (btn && form.contains(btn)) btn.insertAdjacentElement("afterend", line);
        else form.appendChild(line);
      }
    }, 0);
  });
  // Back from the next page (the back-forward cache keeps the busy page): usable again.
  window.addEventListener("pageshow", function (e) {
    if (!e.persisted) return;
    document.querySelectorAll('form[aria-busy="true"]').forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[data-busy-disabled]").forEach(function (b) { b.disabled = false; delete b.dataset.busyDisabled; });
      form.querySelectorAll(".busy-auto").forEach(function (s) { s.remove(); });
    });
  });

  // After a validation error the first error is scrolled into view and focused: the first
  // field marked aria-invalid, else the first field error, else the first alert (given
  // tabindex=-1 so it can take focus). Once, here, for full pages and htmx swaps alike.
  function focusFirstError(root, alerts) {
    var sel = ['[aria-invalid="true"]', ".field-error"];
    if (alerts) sel.push('[role="alert"]');
    for (var i = 0; i < sel.length; i++) {
      var el = root.matches && root.matches(sel[i]) ? root : root.querySelector(sel[i]);
      if (!el) continue;
      if (!el.matches("input, select, textarea, button, a[href], [tabindex]")) el.setAttribute("tabindex", "-1");
      el.scrollIntoView({ block: "center" });
      el.focus({ preventScroll: true });
      return true;
    }
    return false;
  }
  document.addEventListener("DOMContentLoaded", function () {
    // A page answering a refused submit (422, 409, 400) focuses its first error; any other
    // page only a field the server marked invalid (a notice that is always there, like a
    // failed message in the outbox, must not take focus on every visit).
    var nav = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    var status = nav && nav.responseStatus;
    var refused = status === 422 || status === 409 || status === 400;
    var root = document.getElementById("main") || document.body;
    if (refused) focusFirstError(root, true);
    else if (root.querySelector('form [aria-invalid="true"]')) focusFirstError(root, false);
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    var xhr = e.detail && e.detail.xhr;
    if (!xhr || (xhr.status !== 422 && xhr.status !== 409) || xhr._errorFocused) return;
    if (focusFirstError(e.target, true)) xhr._errorFocused = true;
  });

  // Scheduled-send countdowns: tick every quarter second; at zero ask the server to
  // fire (the worker would anyway; whichever is first wins on the server).
  setInterval(function () {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var left = Math.max(0, Math.round((Number(el.dataset.deadline) - Date.now()) / 1000));
      var out = el.querySelector(".countdown-left");
      if (out) out.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0 && !el.dataset.fired && window.htmx) {
        el.dataset.fired = "1";
        htmx.ajax("POST", el.dataset.fireUrl, { target: el.dataset.target, swap: "outerHTML" });
      }
    });
  }, 250);

  // Review's 10-minute countdown: amber, red from 2:00, and at 0:00 the client is sent
  // back to pick a time (the slot was never held).
  setInterval(function () {
    document.querySelectorAll("[data-review-countdown]").forEach(function (el) {
      var left = Math.max(0, Math.round((Number(el.dataset.deadline) - Date.now()) / 1000));
      var out = el.querySelector(".countdown-left");
      if (out) out.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      el.classList.toggle("red", left <= 120);
      el.dataset.red = left <= 120 ? "true" : "false";
      if (left === 0 && !el.dataset.done) {
        el.dataset.done = "1";
        var p = document.createElement("p");
        p.className = "error";
        p.setAttribute("role", "alert");
        p.dataset.testid = "book-timeout";
        p.innerHTML = 'Your 10 minutes are up and the time was not held. <a href="' + el.dataset.chooseUrl + '" data-testid="pick-again">Pick a time again</a>';
        el.replaceWith(p);
        var confirm = document.querySelector('[data-testid="book-confirm"]');
        if (confirm) confirm.disabled = true;
      }
    });
  }, 250);

  // Behaviour that used to sit in inline attributes lives here, so the
  // Content-Security-Policy can forbid inline script and style.

  // Calendar placement: sizes and offsets come as data attributes and are set through
  // the CSSOM (which the policy allows), on load and on every htmx swap.
  function place(root) {
    root.querySelectorAll("[data-cal-height]").forEach(function (el) {
      el.style.setProperty("--cal-height", el.dataset.calHeight + "px");
    });
    root.querySelectorAll("[data-top]").forEach(function (el) {
      el.style.top = el.dataset.top + "px";
      if (el.dataset.height) el.style.height = el.dataset.height + "px";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { place(document); });
  document.addEventListener("htmx:load", function (e) { place(e.target); });

  // A field that submits its form when changed (the calendar's date picker).
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.requestSubmit();
    if (el.matches && el.matches("[data-venue-switcher]")) location.href = "/app/" + encodeURIComponent(el.value);
  });

  // Buttons that ask before they act (cancel a booking).
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-confirm]");
    if (btn && !window.confirm(btn.dataset.confirm)) { e.preventDefault(); e.stopPropagation(); }
  });

  // The chat form empties itself after a successful turn and shows the newest reply.
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt;
    if (!form.matches || !form.matches("form[data-reset-after]") || !e.detail.successful) return;
    form.reset();
    var log = document.querySelector(form.dataset.resetAfter);
    if (log && log.lastElementChild) log.lastElementChild.scrollIntoView({ block: "nearest" });
  });

  // The navigation's Marketing menu closes on a click elsewhere or on Escape (back to
  // its button).
  document.addEventListener("click", function (e) {
    document.querySelectorAll("details[data-navgroup][open]").forEach(function (d) {
      if (!d.contains(e.target)) d.open = false;
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    document.querySelectorAll("details[data-navgroup][open]").forEach(function (d) {
      d.open = false;
      var s = d.querySelector("summary");
      if (s && d.contains(document.activeElement)) s.focus();
    });
  });

  // A Copy button (data-copy="#selector") copies that element's text and says so; where
  // the clipboard is refused (plain http), the text is selected for a manual copy.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-copy]");
    if (!btn) return;
    var src = document.querySelector(btn.dataset.copy);
    if (!src) return;
    var text = (src.value !== undefined ? src.value : src.textContent).trim();
    var done = function () {
      var label = btn.textContent;
      btn.textContent = "Copied";
      setTimeout(function () { btn.textContent = label; }, 2000);
    };
    var selectIt = function () {
      var r = document.createRange();
      r.selectNodeContents(src);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
      showToast("info", "Selected: press Ctrl+C (or Cmd+C) to copy.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, selectIt);
    } else {
      selectIt();
    }
  });

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
