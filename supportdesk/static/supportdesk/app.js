// Keyboard shortcuts. Every action also has a visible control; keys are a shortcut only.
(function () {
  "use strict";
  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable=true]") !== null;
  }
  function rows() {
    return Array.from(document.querySelectorAll("[data-row-link]"));
  }
  function move(step) {
    const all = rows();
    if (!all.length) return;
    const current = all.findIndex((row) => row.classList.contains("selected"));
    const next = Math.max(0, Math.min(all.length - 1, current + step));
    all.forEach((row) => row.classList.remove("selected"));
    all[next].classList.add("selected");
    all[next].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key;
    if (key === "/") {
      const search = document.querySelector("[data-hotkey='/']");
      if (search) { event.preventDefault(); search.focus(); }
    } else if (key === "?") {
      const dialog = document.getElementById("shortcuts");
      if (dialog) dialog.showModal();
    } else if (key === "j" || key === "k") {
      move(key === "j" ? 1 : -1);
    } else if (key === "Enter") {
      const selected = document.querySelector("[data-row-link].selected");
      if (selected) window.location = selected.dataset.rowLink;
    } else {
      // Page-specific keys: an element with data-hotkey="r" is clicked or focused.
      const target = document.querySelector("[data-hotkey='" + CSS.escape(key) + "']");
      if (!target) return;
      event.preventDefault();
      if (target.matches("input, textarea, select")) target.focus(); else target.click();
    }
  });
})();

// Queue: a header checkbox ticks every row of the table (bulk actions).
document.addEventListener("change", function (event) {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  const name = all.dataset.selectAll;
  all.closest("table").querySelectorAll("input[type=checkbox][name='" + name + "']")
    .forEach(function (box) { box.checked = all.checked; });
});
