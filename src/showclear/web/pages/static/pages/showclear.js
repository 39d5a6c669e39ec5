/* Behaviour the pages need beyond htmx, kept out of the HTML so the CSP can forbid inline script. */
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) {
    event.preventDefault();
    window.print();
  }
});
