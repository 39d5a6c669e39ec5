/* The one-line banner stays expanded across its 20-second refresh once someone opened it. */
(function () {
  var expanded = false;
  var banner = function () { return document.querySelector("#banner details.alarm"); };
  document.addEventListener("toggle", function (event) {
    if (event.target === banner()) {
      expanded = event.target.open;
    }
  }, true);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!(elt && elt.id === "banner")) {
      expanded = false; /* another page: the banner starts as one line again */
    }
  });
  var restore = function () {
    var details = banner();
    if (expanded && details && !details.open) {
      details.open = true;
    }
  };
  document.addEventListener("htmx:load", restore);
  document.addEventListener("htmx:afterSettle", restore);
})();
