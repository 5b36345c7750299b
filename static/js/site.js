// Behaviour every page shares.

// Forms whose sending cannot be undone ask first (data-confirm holds the question).
document.addEventListener("submit", function (event) {
  var question = (event.submitter && event.submitter.getAttribute("data-confirm")) ||
    (event.target.getAttribute && event.target.getAttribute("data-confirm"));
  if (question && !window.confirm(question)) event.preventDefault();
}, true);

// Formsets: ticking "delete" on rows asks once more before the rows go.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm-delete");
  if (!question || !form.querySelector("input[type=checkbox][name$='-DELETE']:checked")) return;
  if (!window.confirm(question)) event.preventDefault();
}, true);
