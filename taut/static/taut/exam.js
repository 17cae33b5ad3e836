// The exam form: a muscle answers the trigger point questions, a ligament or tendon its
// own. Once a site is chosen, only its group of questions is shown. Without this script
// both groups show and the server keeps only the chosen site's answers.
(function () {
  "use strict";

  const form = document.querySelector("form[data-exam-form]");
  if (!form) return;
  const site = form.querySelector('select[name="muscle"]');
  const muscle = form.querySelector('[data-exam-group="muscle"]');
  const structure = form.querySelector('[data-exam-group="structure"]');
  if (!site || !muscle || !structure) return;

  function show() {
    const option = site.options[site.selectedIndex];
    const group = option && option.value ? option.parentElement : null;
    const isStructure = group !== null && group.label === form.dataset.structureGroup;
    muscle.hidden = group !== null && isStructure;
    structure.hidden = group !== null && !isStructure;
  }

  site.addEventListener("change", show);
  show();
})();
