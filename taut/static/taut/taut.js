// Taut's page behaviour: keyboard shortcut for search, confirmation prompts, copy buttons.
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

  // A "Copy" button names the field it copies: <button data-copy="field-id">.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    const field = button && document.getElementById(button.dataset.copy);
    if (!field) return;
    field.select();
    const done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {});
    }
  });

  // A PDF the worker has prepared: the "Preparing the PDF…" page's poll swaps in
  // <p data-download="url"> in place of the polling element, and the download starts (once:
  // nothing polls any more).
  document.addEventListener("htmx:load", function (event) {
    const elt = event.detail.elt;
    const ready = elt.matches("[data-download]") ? elt : elt.querySelector("[data-download]");
    if (ready) {
      window.location.assign(ready.dataset.download);
    }
  });

  // htmx leaves 4xx answers unswapped; a form marked data-swap-errors shows the page it
  // gets back for bad input (400) or a conflict (409), with its error messages, in place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr.status;
    const form = event.detail.requestConfig && event.detail.requestConfig.elt;
    if ((status === 400 || status === 409) && form && form.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
