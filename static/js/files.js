// File fields in the portal's language. The browser writes its own button and "no file" text
// ("Choose File", "No file chosen") in the browser's language, not the page's; here a button and
// the chosen file's name, in Vietnamese, stand behind the native input, which stays in place
// (transparent, over them) so a click, the keyboard and screen readers still reach it. Without
// JavaScript the native input shows as it is. The words come from <body data-file-*>.
// Runs on page load and on every htmx swap (htmx:load), once per input.
(function () {
  "use strict";

  function describe(input, words) {
    const files = input.files ? Array.from(input.files) : [];
    if (files.length === 0) {
      return words.fileNone || "Chưa chọn tệp";
    }
    if (files.length === 1) {
      return files[0].name;
    }
    const count = (words.fileCount || "%(n)s tệp").replace("%(n)s", String(files.length));
    return count + ": " + files.map((file) => file.name).join(", ");
  }

  function initFile(input) {
    if (input.dataset.filePicker) {
      return;
    }
    input.dataset.filePicker = "on";
    const words = document.body.dataset;
    const box = document.createElement("div");
    box.className = "file-picker";
    if (input.classList.contains("form-control-sm")) {
      box.classList.add("file-picker-sm");
    }
    const button = document.createElement("span");
    button.className = "btn btn-outline-secondary btn-sm file-picker-button";
    button.setAttribute("aria-hidden", "true");
    button.textContent = input.multiple
      ? words.fileChooseMany || "Chọn các tệp"
      : words.fileChoose || "Chọn tệp";
    const name = document.createElement("span");
    name.className = "file-picker-name";
    name.setAttribute("aria-hidden", "true");
    name.textContent = describe(input, words);
    input.parentNode.insertBefore(box, input);
    box.append(button, name, input);
    input.classList.add("file-picker-input");
    input.addEventListener("change", function () {
      name.textContent = describe(input, words);
    });
  }

  function init(root) {
    if (root.matches && root.matches('input[type="file"]')) {
      initFile(root);
    }
    root.querySelectorAll('input[type="file"]').forEach(initFile);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
})();
