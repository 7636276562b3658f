// Copies a read-only link to the clipboard. Without scripts (or a
// clipboard) the button stays hidden and the field's text is selectable.
document.querySelectorAll("[data-copy]").forEach((box) => {
  const input = box.querySelector("input");
  const button = box.querySelector("[data-copy-button]");
  const status = box.querySelector("[data-copy-status]");
  if (!input || !button || !navigator.clipboard) return;
  button.hidden = false;
  input.addEventListener("focus", () => input.select());
  button.addEventListener("click", async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      if (status) status.textContent = button.dataset.copied;
    } catch {
      // Refused (no permission): the text is selected for Ctrl+C.
    }
  });
});
