// Behaviour that would otherwise be an inline handler, which the Content-Security-Policy
// forbids: a <select data-autosubmit> submits its form when the choice changes.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
    field.form.requestSubmit();
  }
});
