// The patient's pre-visit questions, one short group per screen. The page works without
// this script (every question on one page); with it, each fieldset[data-step] is shown
// alone with Back and Next kept in view at the bottom of the screen, "Step 3 of 12" in a
// live region, and the focus on each new group's title. The answers stay in the one form,
// so Back keeps them and nothing is sent until the body map, the last step, is sent.
// Its words come from the page, in the patient's language (data-step-* on the form).
(function () {
  "use strict";

  const form = document.querySelector("form[data-intake-steps]");
  if (!form) return;
  const steps = Array.from(form.querySelectorAll("[data-step]"));
  if (steps.length < 2) return;
  const status = form.querySelector("[data-step-status]");
  const send = form.querySelector("[data-send]");
  const total = steps.length + 1; // the body map comes after the questions
  const intro = document.querySelector("[data-intro]");
  const words = {
    back: form.dataset.stepBack || "Back",
    next: form.dataset.stepNext || "Next",
    last: form.dataset.stepLast || "Next: show where it hurts",
    of: form.dataset.stepOf || "Step {number} of {total}",
  };

  function make(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) node.textContent = text;
    return node;
  }

  const nav = make("div", { class: "step-nav intake-step-nav" });
  const back = make("button", { type: "button", class: "portal-button secondary" }, words.back);
  const next = make("button", { type: "button", class: "portal-button primary" }, words.next);
  nav.append(back, next);
  send.before(nav);
  form.classList.add("is-stepping");
  let current = 0;

  function show(index, moveFocus) {
    current = index;
    const last = index === steps.length - 1;
    steps.forEach(function (step, i) { step.hidden = i !== index; });
    back.hidden = index === 0;
    next.textContent = last ? words.last : words.next;
    send.hidden = true;
    if (intro) intro.hidden = index > 0; // room for the questions on a phone
    status.textContent = words.of.replace("{number}", index + 1).replace("{total}", total);
    if (moveFocus) steps[index].querySelector("[data-step-title]").focus();
  }

  next.addEventListener("click", function () {
    if (current === steps.length - 1) form.requestSubmit();
    else show(current + 1, true);
  });
  back.addEventListener("click", function () { show(current - 1, true); });
  // Enter in a box means "Next" until the last group of questions.
  form.addEventListener("submit", function (event) {
    if (current !== steps.length - 1) {
      event.preventDefault();
      show(current + 1, true);
    }
  });
  // The error summary's links go to a question on another screen.
  form.querySelectorAll(".portal-errors a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function () {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      const step = target && target.closest("[data-step]");
      if (step) show(steps.indexOf(step), false);
    });
  });

  // After the server found a problem, start at the first group it named.
  const firstError = steps.findIndex(function (step) {
    return step.querySelector(".field-error") !== null;
  });
  show(firstError === -1 ? 0 : firstError, false);
})();
