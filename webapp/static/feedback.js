// Feedback where it is due: when an htmx request gets no answer at all (server down, network
// gone, timeout), say so in the page's error slot; error answers from the server are swapped
// in by htmx itself (see htmx-config in base.html). A successful request clears the slot.
(function () {
  function slot() { return document.getElementById("htmx-error"); }
  function show(text) {
    const target = slot();
    if (!target) return;
    const p = document.createElement("p");
    p.className = "flash flash-error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    target.replaceChildren(p);
  }
  document.addEventListener("htmx:sendError", () => { const s = slot(); if (s) show(s.dataset.network); });
  document.addEventListener("htmx:timeout", () => { const s = slot(); if (s) show(s.dataset.timeout); });
  document.addEventListener("htmx:beforeRequest", (event) => {
    // Something the user did clears an old message; a background poll (a div) does not.
    const s = slot();
    const tag = event.detail.elt ? event.detail.elt.tagName : "";
    if (s && ["FORM", "BUTTON", "A", "INPUT", "SELECT"].includes(tag)) s.replaceChildren();
  });
})();
