// Behaviour that would otherwise be an inline handler, which the Content-Security-Policy
// forbids: a <select data-autosubmit> submits its form when the choice changes.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
    field.form.requestSubmit();
  }
});

// A <button data-print> prints the page (the settlement statement: "save as PDF" from there).
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});
