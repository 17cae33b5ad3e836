// The patient's check-in, one question per screen. The page works without this script
// (every question on one page); with it, each fieldset[data-step] is shown alone, with Back
// and Next, "Question 3 of 8" in a live region, focus moved to each new question, and a
// review step listing the answers before they are sent. Its words come from the form's
// data-word-* attributes, in the patient's language (portal/checkin.html); English if absent.
(function () {
  "use strict";

  const form = document.querySelector("form[data-stepper]");
  if (!form) return;
  const steps = Array.from(form.querySelectorAll("[data-step]"));
  if (steps.length < 2) return;
  const status = form.querySelector("[data-step-status]");
  const send = form.querySelector("[data-send]");

  function word(name, english) {
    return form.dataset[name] || english;
  }

  function make(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) node.textContent = text;
    return node;
  }

  // The review step: each question with its answer and a button to change it.
  const review = make("section", { class: "review", "aria-labelledby": "review-h" });
  const reviewHeading = make("h2", { id: "review-h", tabindex: "-1" }, word("wordReviewHeading", "Check your answers"));
  const reviewList = make("dl", { class: "review-list" });
  review.append(reviewHeading, make("p", {}, word("wordReviewHelp", "If something is wrong, press Change.")), reviewList);
  review.hidden = true;

  const nav = make("div", { class: "step-nav" });
  const back = make("button", { type: "button", class: "portal-button secondary" }, word("wordBack", "Back"));
  const next = make("button", { type: "button", class: "portal-button primary" }, word("wordNext", "Next"));
  nav.append(back, next);
  form.insertBefore(review, send);
  form.insertBefore(nav, send);
  form.classList.add("is-stepping");

  const REVIEW = steps.length;
  let current = 0;
  let fromReview = false;

  function question(step) {
    return step.querySelector(".question-text");
  }

  function answers(step) {
    return Array.from(step.querySelectorAll("input:checked")).map(function (input) {
      const label = input.closest("label");
      return label ? label.textContent.trim() : input.value;
    });
  }

  function needsAnswer(step) {
    return step.querySelector("input[type=radio]") !== null && answers(step).length === 0;
  }

  function clearError(step) {
    const error = step.querySelector("[data-step-error]");
    if (error) error.remove();
  }

  function showError(step) {
    clearError(step);
    const error = make("p", { class: "error", "data-step-error": "", role: "alert" },
      word("wordPick", "Please pick an answer."));
    question(step).after(error);
    const first = step.querySelector("input");
    if (first) first.focus();
  }

  function fillReview() {
    reviewList.replaceChildren();
    steps.forEach(function (step, index) {
      const given = answers(step);
      const change = make("button", { type: "button", class: "link-button" }, word("wordChange", "Change"));
      change.setAttribute("aria-label",
        word("wordChangeLabel", "Change your answer to:") + " " + question(step).textContent.trim());
      change.addEventListener("click", function () {
        fromReview = true;
        show(index, true);
      });
      const answer = make("dd", {}, given.length ? given.join(", ") : word("wordNoAnswer", "No answer"));
      answer.append(" ", change);
      reviewList.append(make("dt", {}, question(step).textContent.trim()), answer);
    });
  }

  function show(index, moveFocus) {
    current = index;
    steps.forEach(function (step, i) { step.hidden = i !== index; });
    review.hidden = index !== REVIEW;
    send.hidden = index !== REVIEW;
    back.hidden = index === 0;
    next.hidden = index === REVIEW;
    next.textContent = fromReview || index === REVIEW - 1
      ? word("wordCheck", "Check my answers") : word("wordNext", "Next");
    if (index === REVIEW) {
      fillReview();
      status.textContent = word("wordReviewStatus", "Check your answers, then send them.");
    } else {
      status.textContent = word("wordQuestionOf", "Question {number} of {total}")
        .replace("{number}", String(index + 1)).replace("{total}", String(steps.length));
    }
    if (moveFocus) (index === REVIEW ? reviewHeading : question(steps[index])).focus();
  }

  function forward() {
    if (current === REVIEW) return;
    const step = steps[current];
    if (needsAnswer(step)) {
      showError(step);
      return;
    }
    clearError(step);
    const target = fromReview ? REVIEW : current + 1;
    if (target === REVIEW) fromReview = false;
    show(target, true);
  }

  next.addEventListener("click", forward);
  back.addEventListener("click", function () {
    fromReview = false;
    show(current - 1, true);
  });
  form.addEventListener("change", function (event) {
    const step = event.target.closest("[data-step]");
    if (step) clearError(step);
  });
  // Enter in a field must not send the form before the review step: it means "Next".
  form.addEventListener("submit", function (event) {
    if (current !== REVIEW) {
      event.preventDefault();
      forward();
    }
  });

  // After the server found a problem, start at the first question it named.
  const firstError = steps.findIndex(function (step) { return step.classList.contains("has-error"); });
  show(firstError === -1 ? 0 : firstError, firstError !== -1);
})();
