/* Names for django-prose-editor's toolbar controls that have none: its menu
   of paragraph and heading styles shows the current style's button only.
   The label comes from the textarea (ifri/admin_widgets.py), in the
   editor's language. The toolbar is drawn after the editor is ready, and
   redrawn: every menu that appears is named. */
"use strict";
document.addEventListener("prose-editor:ready", (event) => {
  const textarea = event.detail.textarea;
  const label = textarea.dataset.blockMenuLabel;
  const editor = textarea.closest(".prose-editor");
  if (!label || !editor) {
    return;
  }
  const name = () => {
    editor.querySelectorAll(".prose-menubar__selected:not([title])").forEach((menu) => {
      menu.title = label;
      menu.setAttribute("role", "group");
      menu.setAttribute("aria-label", label);
    });
  };
  name();
  new MutationObserver(name).observe(editor, { childList: true, subtree: true });
});
