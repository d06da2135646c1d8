/*! butie iframe helper (butie-embed-host.js): gives each <iframe data-butie-embed> the
    height its page reports, so it never scrolls inside the host page. Load it once, as a
    file, anywhere on the page (works under a strict Content-Security-Policy: no inline
    script, sizes set through the CSSOM). With #events=1 in the frame's URL, the frame's
    results are also re-dispatched on the iframe element as `butie-result` events. */
(function () {
  "use strict";
  var KEY = "__butieEmbedHost";
  if (window[KEY]) return;
  Object.defineProperty(window, KEY, { value: true });
  var MIN = 80;
  var MAX = 100000;

  function frameOf(source) {
    var frames = document.querySelectorAll("iframe[data-butie-embed]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source) return frames[i];
    }
    return null;
  }

  function prepare(frame) {
    frame.style.border = "0";
    frame.style.width = "100%";
    frame.style.display = "block";
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || typeof data.type !== "string") return;
    if (data.type !== "butie:height" && data.type !== "butie:result") return;
    // Only the frames on this page, matched by their window: other senders are ignored.
    var frame = frameOf(event.source);
    if (!frame) return;
    if (data.type === "butie:height") {
      var height = Number(data.height);
      if (!isFinite(height)) return;
      prepare(frame);
      frame.style.height = Math.min(MAX, Math.max(MIN, Math.ceil(height))) + "px";
    } else {
      frame.dispatchEvent(new CustomEvent("butie-result", { detail: data.detail, bubbles: true }));
    }
  });

  function init() {
    var frames = document.querySelectorAll("iframe[data-butie-embed]");
    for (var i = 0; i < frames.length; i++) prepare(frames[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
