/* A form whose answer never came back (the connection dropped) says so: sending it again is safe,
   its idempotency key makes the server answer the first result instead of acting twice. */
document.addEventListener("htmx:sendError", function (event) {
  var form = event.detail && event.detail.elt ? event.detail.elt.closest("form") : null;
  if (!form) { return; }
  var note = form.querySelector(".send-error");
  if (!note) {
    note = document.createElement("p");
    note.className = "send-error";
    note.setAttribute("role", "alert");
    form.insertBefore(note, form.querySelector("button[type=submit]"));
  }
  note.textContent = "No answer: the connection dropped. Tap again: it is recorded only once.";
});
