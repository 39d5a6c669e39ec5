/* Declaration countdowns: each [data-expires] counts down to its expiry on the server's clock.
   The server renders the text first ("valid until 13:35 · 14 min left"), so pages work without
   this script; the live strip and the badge are refreshed by htmx polling (ADR 0010). */
(function () {
  "use strict";

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function tick() {
    var now = Date.now();
    var timers = document.querySelectorAll("[data-expires]");
    for (var i = 0; i < timers.length; i++) {
      var el = timers[i];
      var expires = Date.parse(el.getAttribute("data-expires"));
      var server = Date.parse(el.getAttribute("data-now"));
      if (isNaN(expires) || isNaN(server)) continue;
      if (!el.hasAttribute("data-seen")) el.setAttribute("data-seen", String(now));
      var elapsed = now - Number(el.getAttribute("data-seen"));
      var left = Math.floor((expires - server - elapsed) / 1000);
      var until = el.getAttribute("data-until");
      var text;
      if (left > 0) {
        text = "valid until " + until + " · " + Math.floor(left / 60) + ":" + pad(left % 60) + " left";
        el.classList.remove("expired");
        el.classList.toggle("soon", left <= 300);
      } else {
        text = "EXPIRED at " + until;
        el.classList.add("expired");
      }
      if (el.textContent !== text) el.textContent = text;
    }
  }

  document.addEventListener("DOMContentLoaded", tick);
  window.setInterval(tick, 1000);
})();
