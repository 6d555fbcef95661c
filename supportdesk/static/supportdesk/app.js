// Keyboard shortcuts. Every action also has a visible control; keys are a shortcut only.
(function () {
  "use strict";
  // Turned off in the user's settings (WCAG 2.1.4): no key handler at all.
  if (document.body.dataset.shortcuts === "off") return;
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
// == Ticket page: composer tabs, Insert article, the solve dialog ==
(function () {
  "use strict";
  function composer() { return document.querySelector("[data-composer]"); }
  document.addEventListener("change", function (event) {
    const radio = event.target.closest("[data-composer] input[name=kind]");
    if (radio) composer().querySelector("textarea").focus();
  });
  document.addEventListener("click", function (event) {
    const insert = event.target.closest("[data-insert]");
    const form = composer();
    if (insert && form) {
      // Put the article's text into the reply for the agent to edit, and
      // remember that this article (its published revision) is being sent.
      event.preventDefault();
      const reply = form.querySelector("input[name=kind][value=reply]");
      if (reply) reply.checked = true;
      const text = form.querySelector("textarea[name=body]");
      text.value = text.value.trim() ? text.value.replace(/\s*$/, "") + "\n\n" + insert.dataset.body : insert.dataset.body;
      text.dispatchEvent(new Event("input", { bubbles: true }));  // the reply preview follows
      const id = insert.dataset.insert;
      const list = form.querySelector("#composer-articles");
      if (!list.querySelector("[data-sending='" + CSS.escape(id) + "']")) {
        const chip = document.createElement("span");
        chip.className = "chip";
        chip.dataset.sending = id;
        const hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = "articles"; hidden.value = id;
        const remove = document.createElement("button");
        remove.type = "button"; remove.className = "link"; remove.dataset.unsend = "";
        remove.setAttribute("aria-label", "Do not record " + insert.dataset.title + " as sent");
        remove.textContent = "×";
        chip.append(hidden, "Sending “" + insert.dataset.title + "”", remove);
        list.append(chip);
      }
      text.focus();
      return;
    }
    const unsend = event.target.closest("[data-unsend]");
    if (unsend) { unsend.closest("[data-sending]").remove(); return; }
    const close = event.target.closest("[data-close-dialog]");
    const dialog = close && close.closest("dialog");
    if (dialog) { event.preventDefault(); dialog.close(); }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    const dialog = event.detail.target.closest("dialog");
    if (dialog && !dialog.open) dialog.showModal();
  });
})();

// == Solve dialog: ticking an article proposes its category ==
document.addEventListener("change", function (event) {
  const box = event.target.closest(".solve-form input[name=links]");
  if (!box || !box.checked) return;
  const category = box.closest("[data-category]").dataset.category;
  const select = box.form.querySelector("select[name=category]");
  if (category && select) select.value = category;
  const byArticle = box.form.querySelector("input[name=kind][value=article]");
  if (byArticle) byArticle.checked = true;
});

// == Macros: applying one sends its reply; an unsent draft in the composer would be lost ==
document.addEventListener("submit", function (event) {
  if (!event.target.matches("[data-macro-apply]")) return;
  const draft = document.querySelector("[data-composer] textarea[name=body]");
  if (draft && draft.value.trim() && !window.confirm("Apply the macro? It sends its own reply, and the text in the reply box is not kept.")) {
    event.preventDefault();
  }
});
