/* Amparo: behaviour shared by every page. No inline scripts anywhere (strict CSP). */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="amparo-exit"]');
  var exitUrl = meta ? meta.getAttribute("content") : "/exit/";
  var target = (meta && meta.getAttribute("data-target")) || exitUrl;
  var leaving = false;

  // Quick exit: end the session on the server, then replace this page in the history so
  // Back does not return to it. Pages are sent with no-store, so earlier ones are fetched
  // again on Back and find the session gone.
  function quickExit() {
    if (leaving) { return; }
    leaving = true;
    document.documentElement.classList.add("leaving");
    var go = function () { window.location.replace(target); };
    try {
      var done = fetch(exitUrl, { method: "POST", credentials: "same-origin", keepalive: true, cache: "no-store" });
      var timer = new Promise(function (resolve) { window.setTimeout(resolve, 800); });
      Promise.race([done, timer]).then(go, go);
    } catch (e) {
      go();
    }
  }

  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) {
      event.preventDefault();
      quickExit();
    }
    lastEscape = now;
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.classList && form.classList.contains("quick-exit")) {
      event.preventDefault();
      quickExit();
    }
  });

  // A page restored from the back-forward cache after quick exit must not show anything.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.documentElement.classList.contains("leaving")) {
      window.location.replace(target);
    }
  });
})();
