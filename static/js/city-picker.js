// Makes each city picker (views/citypicker.templ) searchable: a field
// above the countries filters the cities as one types, ignoring case,
// accents and Arabic marks, by a city's name or its country's in any of
// the site's languages; a polite status line counts the matches, and a
// line lists the ticked cities, which filtering may hide. The form sends
// the same checkboxes with or without this script.
(() => {
  // fold must agree with searchFold in views/citypicker.go, which folds
  // the names the server writes in data-search.
  const letters = { "ø": "o", "œ": "oe", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "ı": "i", "ـ": "" };
  const fold = (s) => s.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
    .replace(/[øœæßłđıـ]/gu, (c) => letters[c])
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim();

  const lang = document.documentElement.lang || "en";
  const plural = new Intl.PluralRules(lang);
  // Western digits in every language, as the server writes them.
  const number = new Intl.NumberFormat(lang + "-u-nu-latn");
  const list = new Intl.ListFormat(lang, { type: "conjunction" });
  const shortList = new Intl.ListFormat(lang, { type: "unit", style: "short" });
  const capital = (s) => s[0].toUpperCase() + s.slice(1);
  const shownNames = 5;

  document.querySelectorAll("[data-city-picker]:not([data-ready])").forEach((picker) => {
    picker.dataset.ready = "";
    const tools = picker.querySelector(".city-picker-tools");
    if (!tools) return; // no cities
    const search = tools.querySelector("input[type=search]");
    const status = tools.querySelector("[role=status]");
    const chosen = tools.querySelector(".city-picker-chosen");
    const groups = [...picker.querySelectorAll(".city-group")].map((el) => ({
      el,
      search: el.dataset.search,
      cities: [...el.querySelectorAll("label[data-search]")].map((label) => ({
        label, search: label.dataset.search, box: label.querySelector("input"),
      })),
    }));
    const cities = groups.flatMap((g) => g.cities);

    // say renders one of the picker's messages for n: data-NAME-none for
    // nothing, else the plural category's, with {n} and {names} filled in.
    const say = (name, n, names = "") => {
      const d = picker.dataset;
      const text = n === 0 ? d[name + "None"] : (d[name + capital(plural.select(n))] ?? d[name + "Other"]);
      return text.replace("{n}", number.format(n)).replace("{names}", names);
    };

    const showChosen = () => {
      // Each name isolated (FSI … PDI), so that Latin names in an Arabic
      // sentence, or Arabic ones in a French one, keep their order.
      const names = cities.filter((c) => c.box.checked).map((c) => "\u2068" + c.label.textContent.trim() + "\u2069");
      const text = names.length <= shownNames ? list.format(names) : shortList.format([...names.slice(0, shownNames), "…"]);
      chosen.textContent = say("chosen", names.length, text);
    };

    let timer;
    const announce = (text) => {
      clearTimeout(timer);
      // A count once the typing pauses, so a screen reader is not
      // interrupted at every key; nothing at once.
      if (text === "") status.textContent = "";
      else timer = setTimeout(() => { status.textContent = text; }, 400);
    };

    let openBefore = null; // which countries were open before a search
    const filter = () => {
      const words = fold(search.value).split(" ").filter(Boolean);
      if (words.length === 0) {
        for (const [i, g] of groups.entries()) {
          g.el.hidden = false;
          for (const c of g.cities) c.label.hidden = false;
          if (openBefore) g.el.open = openBefore[i] || g.cities.some((c) => c.box.checked);
        }
        openBefore = null;
        announce("");
        return;
      }
      if (!openBefore) openBefore = groups.map((g) => g.el.open);
      let total = 0;
      for (const g of groups) {
        let n = 0;
        for (const c of g.cities) {
          const text = c.search + " " + g.search;
          const match = words.every((w) => text.includes(w));
          c.label.hidden = !match;
          if (match) n++;
        }
        g.el.hidden = n === 0;
        g.el.open = n > 0;
        total += n;
      }
      announce(say("matches", total));
    };

    search.addEventListener("input", filter);
    // Enter would send the form: it goes to the first match instead, once
    // the key is up (a keypress that follows is the search field's, and
    // is stopped too).
    let enter = false;
    search.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        enter = true;
      } else if (e.key === "Escape" && search.value !== "") {
        e.preventDefault();
        search.value = "";
        filter();
      }
    });
    search.addEventListener("keypress", (e) => {
      if (e.key === "Enter") e.preventDefault();
    });
    search.addEventListener("keyup", (e) => {
      if (e.key !== "Enter" || !enter) return;
      enter = false;
      const first = cities.find((c) => !c.label.hidden && !c.label.closest(".city-group").hidden);
      if (first) first.box.focus();
    });
    picker.addEventListener("change", (e) => {
      if (e.target.type === "checkbox") showChosen();
    });
    showChosen();
    tools.hidden = false;
    // The browser may have kept what was typed (back button).
    if (search.value) filter();
  });
})();
