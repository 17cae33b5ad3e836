// The staff intake: "Asked, none present" answers a whole group of questions No in place.
// Without this script the button sends the form, and the page comes back with the group
// answered and nothing saved.
(function () {
  "use strict";

  document.querySelectorAll("form[data-intake] [data-none-present]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      const group = button.closest("[data-group]");
      if (!group) return;
      event.preventDefault();
      const safety = group.dataset.group === "safety";
      group.querySelectorAll('input[type=radio][value="false"]').forEach(function (input) {
        const answered = group.querySelector('input[name="' + input.name + '"]:checked');
        if (!safety || !answered) input.checked = true;
      });
      group.querySelectorAll("select").forEach(function (select) {
        const yesNo = select.querySelector('option[value="false"]');
        if (yesNo && (!safety || select.value === "")) select.value = "false";
      });
      button.textContent = safety ? "Unanswered set to No" : "All answered No";
    });
  });
})();
