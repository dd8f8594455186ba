// Reports how long this page was visible, for the Customer Navigation History.
// The page names its own view in <meta name="epaytrak-page-view"> (a signed
// id); each time the page is hidden or left, the visible time so far goes to
// the beacon URL. The server keeps the largest value it receives.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="epaytrak-page-view"]');
  if (!meta || !navigator.sendBeacon || !window.URLSearchParams) {
    return;
  }
  var CAP_MS = 30 * 60 * 1000;
  var visibleMs = 0;
  var sentMs = -1;
  var shownAt = document.visibilityState === "visible" ? performance.now() : null;

  function report() {
    if (shownAt !== null) {
      visibleMs += performance.now() - shownAt;
      shownAt = null;
    }
    var ms = Math.min(Math.round(visibleMs), CAP_MS);
    if (ms === sentMs) {
      return;
    }
    sentMs = ms;
    navigator.sendBeacon(
      meta.getAttribute("data-beacon-url"),
      new URLSearchParams({ v: meta.content, ms: String(ms) })
    );
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      report();
    } else if (shownAt === null) {
      shownAt = performance.now();
    }
  });
  window.addEventListener("pagehide", report);
  // Back/forward cache: the same page shown again keeps counting.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && shownAt === null) {
      shownAt = performance.now();
    }
  });
})();
