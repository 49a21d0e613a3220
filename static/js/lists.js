// The list component's behaviour (templates/includes/filter_bar.html). Everything here is an
// enhancement: without JavaScript the same fields are plain inputs and selects that submit.
// - [data-multiselect]: a searchable multi-select (tom-select) instead of a ctrl-click list;
// - [data-datepicker]: a dd/mm/yyyy picker in Vietnamese; typing the date still works.
// Runs on page load and on every htmx swap (htmx:load), once per element.
(function () {
  "use strict";

  function initMultiselect(select) {
    if (select.tomselect || typeof TomSelect === "undefined") {
      return;
    }
    const noResults = select.dataset.noResults || "Không tìm thấy";
    new TomSelect(select, {
      plugins: ["remove_button"],
      maxOptions: null,
      hidePlaceholder: true,
      placeholder: select.dataset.placeholder || "",
      render: {
        no_results: function () {
          const div = document.createElement("div");
          div.className = "no-results";
          div.textContent = noResults;
          return div;
        },
      },
    });
  }

  function initDatepicker(input) {
    if (input.datepicker || typeof Datepicker === "undefined") {
      return;
    }
    new Datepicker(input, {
      language: "vi",
      format: "dd/mm/yyyy",
      weekStart: 1,
      autohide: true,
      todayHighlight: true,
      clearButton: true,
      todayButton: true,
      todayButtonMode: 1,
      buttonClass: "btn",
    });
    // A picked date changes the value without a "change" event: raise one so an htmx filter bar
    // refreshes its list as it does for a typed date.
    input.addEventListener("changeDate", function () {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function init(root) {
    root.querySelectorAll("select[data-multiselect]").forEach(initMultiselect);
    root.querySelectorAll("input[data-datepicker]").forEach(initDatepicker);
  }

  if (typeof htmx !== "undefined") {
    htmx.onLoad(init);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  }
})();

// A form sent back with errors: bring its error summary into view and focus it, so a screen
// reader reads it and the user sees what to fix (the summary's links lead to each field).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const summary = document.querySelector(".error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
});
