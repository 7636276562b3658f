// Shows the translated "Choose a file" button and the chosen file's name
// in place of the browser's own (which speaks the browser's language).
// The native input stays focusable, visually hidden; its label opens it.
// Without this script the native input shows as it is.
document.querySelectorAll("[data-file-ui]").forEach((ui) => {
  const input = ui.previousElementSibling;
  if (!input || input.type !== "file" || input.classList.contains("file-js")) return;
  const name = ui.querySelector("[data-file-name]");
  const show = () => {
    const files = Array.from(input.files || []);
    name.textContent = files.length ? files.map((f) => f.name).join(", ") : name.dataset.none;
  };
  input.classList.add("file-js");
  ui.hidden = false;
  input.addEventListener("change", show);
  show();
});
