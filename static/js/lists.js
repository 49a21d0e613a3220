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
    // tom-select points the <label> at its own search box: the native select it hides from the
    // eye stays in the accessibility tree and must keep its name (axe: select-name).
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label && !select.hasAttribute("aria-label")) {
      select.setAttribute("aria-label", label.textContent.replace("*", "").trim());
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

  // dd/mm/yyyy read strictly: 31/02/2027 is not a date (the picker's own parser would roll it
  // over to 03/03/2027 without a word). Two-digit years and ISO dates are read as the server
  // reads them (core/formats/vi: DATE_INPUT_FORMATS).
  const DATE_FORMAT = {
    toValue: function (text) {
      let day, month, year;
      let match = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\s*$/.exec(text);
      if (match) {
        day = Number(match[1]);
        month = Number(match[2]);
        year = Number(match[3]) + (match[3].length === 2 ? 2000 : 0);
      } else {
        match = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text);
        if (!match) {
          return NaN;
        }
        year = Number(match[1]);
        month = Number(match[2]);
        day = Number(match[3]);
      }
      const date = new Date(year, month - 1, day);
      const same =
        date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
      return same ? date.getTime() : NaN;
    },
    toDisplay: function (date) {
      const pad = function (n) {
        return String(n).padStart(2, "0");
      };
      return pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" + date.getFullYear();
    },
  };

  function initDatepicker(input) {
    if (input.datepicker || typeof Datepicker === "undefined") {
      return;
    }
    const sent = input.value; // a wrong date the server sent back must stay visible
    new Datepicker(input, {
      language: "vi",
      format: DATE_FORMAT,
      weekStart: 1,
      autohide: true,
      todayHighlight: true,
      clearButton: true,
      todayButton: true,
      todayButtonMode: 1,
      buttonClass: "btn",
    });
    if (input.value !== sent) {
      input.value = sent;
    }
    // A picked date changes the value without a "change" event: raise one so an htmx filter bar
    // refreshes its list as it does for a typed date.
    input.addEventListener("changeDate", function () {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  // On leaving a date field the picker puts back its last valid date, wiping a mistyped one.
  // Keep what the user typed instead (the server names the wrong date beside the field): a
  // capturing listener on window runs before the picker's own and stops it for such text.
  window.addEventListener(
    "blur",
    function (event) {
      const input = event.target;
      if (!input.matches || !input.matches("input[data-datepicker]")) {
        return;
      }
      const typed = input.value;
      if (typed.trim() === "" || !isNaN(DATE_FORMAT.toValue(typed))) {
        return;
      }
      event.stopImmediatePropagation();
      if (input.datepicker) {
        input.datepicker.hide();
      }
    },
    true,
  );

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

// On a phone the filter bar starts folded under its "Bộ lọc" button (the page opens on the
// list, not on a screen of fields), unless a field has an error to show.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (window.matchMedia("(max-width: 575.98px)").matches) {
    document.querySelectorAll("details.filter-bar-toggle").forEach(function (details) {
      if (!details.querySelector(".is-invalid")) {
        details.open = false;
      }
    });
  }
});

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

// Keep list URLs short enough to read and send: empty fields of a filter bar are left out of
// the query string, both when htmx refreshes the list and when "Lọc" loads the page.
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    const form = event.detail.elt;
    if (!form.matches || !form.matches("form.filter-bar")) {
      return;
    }
    form.querySelectorAll("input[name], select[name]").forEach(function (field) {
      if (field.value === "" && !field.multiple) {
        delete event.detail.parameters[field.name];
      }
    });
  });
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("form.filter-bar")) {
      return;
    }
    form.querySelectorAll("input[name], select[name]").forEach(function (field) {
      if (field.value === "" && !field.multiple) {
        field.disabled = true; // a disabled field is not submitted
      }
    });
  });
  // Coming back to the page (browser "back") must find the fields usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.filter-bar [disabled]").forEach(function (field) {
      field.disabled = false;
    });
  });
  // [data-check-all]: a header checkbox ticks or clears every row checkbox of its table (the
  // plan grid's bulk actions); the rows' own checkboxes still work without JavaScript.
  document.addEventListener("change", function (event) {
    const all = event.target.closest("[data-check-all]");
    if (!all) {
      return;
    }
    const table = all.closest("table");
    table.querySelectorAll('tbody input[type="checkbox"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
