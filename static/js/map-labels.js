// On a touch screen a first tap on a city of a map shows its name (the
// link takes focus, and the stylesheet shows a focused point's name); a
// second tap follows the link. Without this script a tap follows the
// link at once, and names show on hover and keyboard focus.
document.querySelectorAll(".world-map .map-point").forEach((a) => {
  a.addEventListener("click", (e) => {
    if (!matchMedia("(hover: none)").matches || a.dataset.shown === "1") return;
    e.preventDefault();
    a.dataset.shown = "1";
    a.focus();
  });
  a.addEventListener("blur", () => delete a.dataset.shown);
});
