/* Ordered tabular inlines (ifri/admin_widgets.py OrderedInlineMixin): rows
   are dragged by their handle or moved with "Move up"/"Move down" buttons,
   and the hidden order field is renumbered from the rows' places (0, 1,
   2...) after every change and on submit. Without JavaScript the order
   field stays a number the editor types. */
"use strict";
{
  const ORDER = "[data-inline-order]";
  let dragged = null;

  const isFormRow = (row) =>
    row.matches("tr.form-row") && !row.classList.contains("empty-form");
  const formRows = (tbody) => [...tbody.children].filter(isFormRow);
  const template = (tbody) => tbody.querySelector(":scope > tr.empty-form");
  const orderInput = (row) => row.querySelector(ORDER);

  // A row added with "Add another" and left blank keeps its default order,
  // so that Django still ignores it as an unchanged form.
  const isBlankNewRow = (row) =>
    !row.classList.contains("has_original") &&
    ![...row.querySelectorAll("input, select, textarea")].some((field) => {
      if (field.matches(ORDER) || field.type === "hidden") {
        return false;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        return field.checked !== field.defaultChecked;
      }
      if (field.tagName === "SELECT") {
        return [...field.options].some((o) => o.selected !== o.defaultSelected);
      }
      return field.value !== field.defaultValue;
    });

  const renumber = (tbody) => {
    let position = 0;
    for (const row of formRows(tbody)) {
      const input = orderInput(row);
      if (!input) {
        continue;
      }
      input.value = isBlankNewRow(row) ? input.defaultValue : String(position++);
    }
    updateButtons(tbody);
  };

  const updateButtons = (tbody) => {
    const rows = formRows(tbody);
    rows.forEach((row, index) => {
      const up = row.querySelector(".inline-order-up");
      const down = row.querySelector(".inline-order-down");
      if (up) {
        up.disabled = index === 0;
        down.disabled = index === rows.length - 1;
      }
    });
  };

  // Moves a row (with the row of its errors, which precedes it) before or
  // after another.
  const place = (row, target, after) => {
    const tbody = row.parentElement;
    const errors = row.previousElementSibling;
    let anchor = after ? target.nextElementSibling : target;
    if (!after && anchor.previousElementSibling?.classList.contains("row-form-errors")) {
      anchor = anchor.previousElementSibling;
    }
    if (anchor === row) {
      return;
    }
    tbody.insertBefore(row, anchor);
    if (errors?.classList.contains("row-form-errors")) {
      tbody.insertBefore(errors, row);
    }
  };

  const announce = (row) => {
    const tbody = row.parentElement;
    const status = tbody.closest(".inline-group").querySelector(".inline-order-status");
    const rows = formRows(tbody);
    const input = orderInput(row);
    status.textContent = input.dataset.movedText
      .replace("{position}", rows.indexOf(row) + 1)
      .replace("{total}", rows.length);
  };

  const moveBy = (row, step, button) => {
    const rows = formRows(row.parentElement);
    const target = rows[rows.indexOf(row) + step];
    if (!target) {
      return;
    }
    place(row, target, step > 0);
    renumber(row.parentElement);
    announce(row);
    // Moving a node takes the focus away from the button inside it.
    const focus = button.disabled
      ? row.querySelector(step > 0 ? ".inline-order-up" : ".inline-order-down")
      : button;
    focus.focus();
  };

  const button = (className, label) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `inline-order-button ${className}`;
    element.title = label;
    const text = document.createElement("span");
    text.className = "visually-hidden";
    text.textContent = label;
    element.append(text);
    return element;
  };

  const enhance = (row) => {
    const input = orderInput(row);
    if (!input || input.dataset.enhanced) {
      return;
    }
    input.dataset.enhanced = "true";
    input.type = "hidden";
    const controls = document.createElement("div");
    controls.className = "inline-order-controls";
    const handle = document.createElement("span");
    handle.className = "inline-order-handle";
    handle.draggable = true;
    handle.title = input.dataset.dragHandle;
    handle.setAttribute("aria-hidden", "true");
    const up = button("inline-order-up", input.dataset.moveUp);
    const down = button("inline-order-down", input.dataset.moveDown);
    up.addEventListener("click", () => moveBy(row, -1, up));
    down.addEventListener("click", () => moveBy(row, 1, down));
    controls.append(handle, up, down);
    input.after(controls);

    handle.addEventListener("dragstart", (event) => {
      dragged = row;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
      event.dataTransfer.setDragImage(row, 16, 16);
      row.classList.add("inline-order-dragging");
    });
    handle.addEventListener("dragend", () => {
      row.classList.remove("inline-order-dragging");
      dragged = null;
      clearTargets(row.parentElement);
    });
  };

  const clearTargets = (tbody) => {
    tbody
      .querySelectorAll(".inline-order-before, .inline-order-after")
      .forEach((row) => row.classList.remove("inline-order-before", "inline-order-after"));
  };

  // Where a drop over ``event`` puts the dragged row: before or after the
  // row under the pointer, by the half of it the pointer is in.
  const dropPlace = (event, tbody) => {
    if (!dragged || dragged.parentElement !== tbody) {
      return null;
    }
    const target = event.target.closest("tr");
    if (!target || target === dragged || !isFormRow(target)) {
      return null;
    }
    const box = target.getBoundingClientRect();
    return { target, after: event.clientY > box.top + box.height / 2 };
  };

  const setUp = (tbody) => {
    if (tbody.dataset.inlineOrdered) {
      return;
    }
    tbody.dataset.inlineOrdered = "true";
    const status = document.createElement("div");
    status.className = "inline-order-status visually-hidden";
    status.setAttribute("role", "status");
    tbody.closest(".inline-group").append(status);
    formRows(tbody).forEach(enhance);
    renumber(tbody);

    tbody.addEventListener("dragover", (event) => {
      const drop = dropPlace(event, tbody);
      if (!drop) {
        return;
      }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      clearTargets(tbody);
      drop.target.classList.add(drop.after ? "inline-order-after" : "inline-order-before");
    });
    tbody.addEventListener("dragleave", (event) => {
      if (!tbody.contains(event.relatedTarget)) {
        clearTargets(tbody);
      }
    });
    tbody.addEventListener("drop", (event) => {
      const drop = dropPlace(event, tbody);
      if (!drop) {
        return;
      }
      event.preventDefault();
      const row = dragged;
      place(row, drop.target, drop.after);
      clearTargets(tbody);
      renumber(tbody);
      announce(row);
    });
  };

  const tbodies = () =>
    [...document.querySelectorAll(`tbody ${ORDER}`)]
      .filter((input) => !input.closest(".empty-form"))
      .map((input) => input.closest("tbody"));

  document.addEventListener("DOMContentLoaded", () => {
    new Set(tbodies()).forEach(setUp);
  });

  document.addEventListener("formset:added", (event) => {
    const row = event.target;
    const tbody = row.parentElement;
    if (!orderInput(row)) {
      return;
    }
    setUp(tbody);
    enhance(row);
    renumber(tbody);
  });

  // Filling in a new row gives it its place.
  document.addEventListener("change", (event) => {
    const tbody = event.target.closest?.("tbody[data-inline-ordered]");
    if (tbody) {
      renumber(tbody);
    }
  });

  // Django's "remove" link renames the forms of a formset in the order of
  // the rows on the page, and the rows of saved objects must keep the first
  // names: put the rows back in their forms' order for it, then back where
  // the editor placed them.
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target.closest?.(".inline-deletelink");
      const tbody = link?.closest("tbody[data-inline-ordered]");
      if (!tbody) {
        return;
      }
      const placed = formRows(tbody);
      const index = (row) => Number(row.id.split("-").pop());
      [...placed].sort((a, b) => index(a) - index(b)).forEach((row) => {
        place(row, template(tbody) || row, false);
      });
      setTimeout(() => {
        placed
          .filter((row) => row.isConnected)
          .forEach((row) => place(row, template(tbody) || row, false));
        renumber(tbody);
      });
    },
    true
  );

  document.addEventListener(
    "submit",
    () => document.querySelectorAll("tbody[data-inline-ordered]").forEach(renumber),
    true
  );
}
