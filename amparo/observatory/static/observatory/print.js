// The "Print" buttons of the comparison and the design checklist: shown only when scripts
// run (the browser's own print command does the same without them).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
