// Taut's page behaviour: keyboard shortcut for search, confirmation prompts.
// No inline scripts anywhere: behaviour hangs off data attributes.
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    const target = event.target;
    const typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const field = document.querySelector('[data-shortcut="' + event.key + '"]');
    if (field) {
      event.preventDefault();
      field.focus();
    }
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
