// Tells a learner before sending that their photo is too large, so the
// upload is not wasted. The server checks again: the form works without it.
document.querySelectorAll("input[type=file][data-max-bytes]").forEach((input) => {
  input.addEventListener("change", () => {
    const max = Number(input.dataset.maxBytes);
    const file = input.files && input.files[0];
    input.setCustomValidity(file && file.size > max ? input.dataset.tooBig : "");
    input.reportValidity();
  });
});
