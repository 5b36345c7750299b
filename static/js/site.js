// Behaviour every page shares.

// Forms whose sending cannot be undone ask first (data-confirm holds the question).
document.addEventListener("submit", function (event) {
  var question = (event.submitter && event.submitter.getAttribute("data-confirm")) ||
    (event.target.getAttribute && event.target.getAttribute("data-confirm"));
  if (question && !window.confirm(question)) event.preventDefault();
}, true);
