// Phones: the navigation folds into a "Menu" button below 720 px. A real button, so it opens
// with Enter or Space and tells screen readers whether it is open (aria-expanded).
(function () {
  const bar = document.querySelector(".topbar");
  const button = bar && bar.querySelector(".menu-button");
  if (!button) return;
  bar.dataset.menu = "closed";
  button.addEventListener("click", () => {
    const open = bar.dataset.menu !== "open";
    bar.dataset.menu = open ? "open" : "closed";
    button.setAttribute("aria-expanded", String(open));
    if (open) bar.querySelector("nav a").focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && bar.dataset.menu === "open") { button.click(); button.focus(); }
  });
})();
