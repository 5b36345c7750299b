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

// A button marked data-print prints the page (its print layout hides menus and filters).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) { event.preventDefault(); window.print(); }
});

// A select marked data-autosubmit sends its form when changed; data-go follows the chosen URL.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.hasAttribute && field.hasAttribute("data-go")) { window.location = field.value; return; }
  if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) field.form.submit();
});

// The password typed in Thai mode that login.js keeps for the sign-in page coming back
// after a refusal: gone on any other page (such as the one a successful sign-in opens).
if (!document.querySelector("form[data-login-form]")) {
  try { sessionStorage.removeItem("tracking:thaiPassword"); } catch (e) { /* storage off */ }
}
