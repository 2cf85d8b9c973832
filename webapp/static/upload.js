// Drag and drop onto the upload form: the dropped files go into the file input and the
// form is submitted, exactly as if they had been chosen with the picker.
(function () {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = form.querySelector("input[type=file]");
  ["dragenter", "dragover"].forEach((name) => form.addEventListener(name, (event) => {
    event.preventDefault();
    form.classList.add("dragging");
  }));
  ["dragleave", "drop"].forEach((name) => form.addEventListener(name, () => form.classList.remove("dragging")));
  form.addEventListener("drop", (event) => {
    event.preventDefault();
    if (!event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    form.requestSubmit();
  });
  // After a successful htmx upload, clear the picker for the next files.
  form.addEventListener("htmx:afterRequest", (event) => { if (event.detail.successful) form.reset(); });
})();
