// newsledger reader: quote panel, event selection, evidence links.
// Hand-written, no dependencies; loaded from /static (the CSP forbids inline scripts).
// Text from the page is only ever read with .dataset and written with .textContent.
"use strict";

(function () {
  function marks(key) {
    return document.querySelectorAll('[data-mark="' + CSS.escape(key) + '"]');
  }

  function clearActive() {
    document.querySelectorAll(".mk.active, .mk.on").forEach(function (el) {
      el.classList.remove("active", "on");
    });
    document.querySelectorAll(".event-item.selected").forEach(function (el) {
      el.classList.remove("selected");
    });
  }

  function activate(key, scroll) {
    var found = marks(key);
    found.forEach(function (el) { el.classList.add("active"); });
    if (scroll && found.length) { found[0].scrollIntoView({block: "center"}); }
    return found;
  }

  function showQuote(el) {
    var panel = document.getElementById("panel");
    if (!panel) { return; }
    panel.hidden = false;
    ["speaker", "cue", "kind"].forEach(function (name) {
      var dd = panel.querySelector('[data-field="' + name + '"]');
      if (dd) { dd.textContent = el.dataset[name] || "—"; }
    });
    var link = panel.querySelector('[data-field="link"]');
    if (link && el.dataset.quote) { link.setAttribute("href", "#" + el.dataset.quote); }
  }

  function selectEvent(key, scroll) {
    clearActive();
    var item = document.getElementById(key);
    if (item) { item.classList.add("selected"); }
    var parts = document.querySelectorAll('[data-event="' + CSS.escape(key) + '"]');
    parts.forEach(function (el) { if (el.classList.contains("mk")) { el.classList.add("on"); } });
    if (scroll && parts.length) { parts[0].scrollIntoView({block: "center"}); }
  }

  function fromLocation() {
    var hash = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    var hl = document.querySelectorAll('[data-mark="hl"]');
    if (/^e\d+$/.test(hash)) {
      selectEvent(hash, !hl.length);
    } else if (/^[a-z]+[\d-]+$/.test(hash)) {
      clearActive();
      var found = activate(hash, !hl.length);
      if (found.length && found[0].dataset.quote) { showQuote(found[0]); }
    }
    if (hl.length) { hl[0].scrollIntoView({block: "center"}); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var text = document.getElementById("text");
    if (text) {
      text.addEventListener("click", function (ev) {
        var el = ev.target.closest(".mk-quote, .mk-speaker, .mk-cue");
        if (!el) { return; }
        clearActive();
        activate(el.dataset.quote, false);
        showQuote(el);
      });
    }
    document.querySelectorAll(".event-item").forEach(function (item) {
      item.addEventListener("click", function (ev) {
        if (ev.target.closest("a")) { return; }
        selectEvent(item.dataset.event, true);
      });
    });
    document.querySelectorAll(".copy").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
    window.addEventListener("hashchange", fromLocation);
    fromLocation();
  });
})();
