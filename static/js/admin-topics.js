/* The topics field (publications/topics_admin.py TopicsWidget): a select2
   list of chosen topics, suggested from the existing ones as the editor
   types, a new one created only by choosing "Create the new topic ...".
   It writes taggit's comma-separated text back into the original input,
   which is what the form posts, and what editors type without JavaScript. */
"use strict";
{
  const $ = django.jQuery;

  // As taggit's edit_string_for_tags: names with a comma or a space quoted.
  const tagString = (names) =>
    names
      .map((name) => (/[,\s]/.test(name) ? `"${name.replace(/"/g, "")}"` : name))
      .join(", ");

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (match, key) =>
      key in values ? String(values[key]) : match
    );

  const setUp = (input) => {
    if (input.dataset.enhanced) {
      return;
    }
    input.dataset.enhanced = "true";
    const select = document.createElement("select");
    select.multiple = true;
    select.id = `${input.id}_choices`;
    select.className = "topics-select";
    for (const name of JSON.parse(input.dataset.topics || "[]")) {
      select.append(new Option(name, name, true, true));
    }
    const wrapper = document.createElement("div");
    wrapper.className = "topics-widget";
    wrapper.append(select);
    input.after(wrapper);
    input.hidden = true;

    $(select).select2({
      language: input.getAttribute("lang"),
      width: "style",
      tags: true,
      minimumInputLength: 0,
      ajax: {
        url: input.dataset.topicsUrl,
        dataType: "json",
        delay: 200,
        data: (params) => ({ term: params.term, page: params.page }),
      },
      // A new topic is offered last, under its own label, never picked by
      // pressing Enter on the first suggestion.
      createTag: (params) => {
        const name = params.term.trim();
        return name ? { id: name, text: name, newTopic: true } : null;
      },
      insertTag: (data, tag) => {
        const exists = data.some(
          (item) => item.text.toLowerCase() === tag.text.toLowerCase()
        );
        if (!exists) {
          data.push(tag);
        }
      },
      templateResult: (item) => {
        if (item.loading) {
          return item.text;
        }
        const option = document.createElement("span");
        if (item.newTopic) {
          option.className = "topic-choice--new";
          option.textContent = fill(input.dataset.createText, { name: item.text });
          return option;
        }
        option.textContent = item.text;
        if (item.count !== undefined) {
          const count = document.createElement("span");
          count.className = "topic-choice__count";
          count.textContent = ` ${fill(input.dataset.usageText, { count: item.count })}`;
          option.append(count);
        }
        return option;
      },
    });

    // The field's label names the list that replaces the input, and the
    // box the editor types in (select2 hides the list from assistive
    // technologies).
    const label = document.querySelector(`label[for="${input.id}"]`);
    if (label) {
      label.htmlFor = select.id;
      const name = label.textContent.trim().replace(/:$/, "");
      wrapper.querySelector(".select2-search__field")?.setAttribute("aria-label", name);
    }

    $(select).on("change", () => {
      const names = $(select)
        .select2("data")
        .map((item) => item.text);
      input.value = tagString(names);
    });
  };

  $(() => {
    document.querySelectorAll("input.topics-input[data-topics-url]").forEach(setUp);
  });
}
