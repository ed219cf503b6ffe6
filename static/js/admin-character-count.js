/* A live "n / max characters" counter under every admin field that has a
   length limit (data-maxlength, set by ifri/admin_widgets.py instead of the
   browser's maxlength, which silently cuts pasted text). Over the limit the
   counter warns; the server refuses the value and keeps it in the form. */
"use strict";
{
  const OVER = "character-count--over";

  // As Django counts: code points, and a line break in a textarea is sent
  // as CR LF.
  const length = (field) => {
    let value = field.value;
    if (field.tagName === "TEXTAREA") {
      value = value.replace(/\r?\n/g, "\r\n");
    }
    return [...value].length;
  };

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (match, key) =>
      key in values ? String(values[key]) : match
    );

  const update = (field) => {
    const counter = document.getElementById(field.dataset.counterId);
    if (!counter) {
      return;
    }
    const max = Number(field.dataset.maxlength);
    const count = length(field);
    const over = count > max;
    counter.textContent = fill(
      over ? field.dataset.counterOverText : field.dataset.counterText,
      { count, max, over: count - max }
    );
    counter.classList.toggle(OVER, over);
    if (over) {
      field.setAttribute("aria-invalid", "true");
    } else if (field.dataset.counterInvalid !== "server") {
      field.removeAttribute("aria-invalid");
    }
  };

  let counters = 0;

  const attach = (field) => {
    if (field.dataset.counterId || field.closest(".empty-form")) {
      return; // counted already, or the template of new inline rows
    }
    counters += 1;
    const counter = document.createElement("div");
    counter.id = `character-count-${counters}`;
    counter.className = "character-count";
    field.dataset.counterId = counter.id;
    const described = field.getAttribute("aria-describedby");
    field.setAttribute(
      "aria-describedby",
      described ? `${described} ${counter.id}` : counter.id
    );
    if (field.getAttribute("aria-invalid") === "true") {
      field.dataset.counterInvalid = "server";
    }
    // In the main form, under the field as its help text is; in an inline
    // table, in the cell.
    const row = field.parentElement;
    if (row.classList.contains("flex-container")) {
      counter.classList.add("help");
      row.after(counter);
    } else {
      field.after(counter);
    }
    update(field);
  };

  const attachAll = (root) => {
    root.querySelectorAll("[data-maxlength]").forEach(attach);
  };

  document.addEventListener("input", (event) => {
    if (event.target.dataset && event.target.dataset.counterId) {
      update(event.target);
    }
  });
  // Rows added to an inline ("Add another") are copies of its template.
  document.addEventListener("formset:added", (event) => attachAll(event.target));
  document.addEventListener("DOMContentLoaded", () => attachAll(document));
}
