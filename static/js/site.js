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

// Long work shows that it is working. A form that is sent cannot be sent twice: its buttons are
// disabled (after the browser has taken the pressed button's value) and the pressed one says what
// is happening when the form carries data-busy. Back at the page from the browser's history, the
// buttons work again.
document.addEventListener("submit", function (event) {
  if (event.defaultPrevented) return;
  var form = event.target;
  if ((form.method || "").toLowerCase() !== "post") return;
  var pressed = event.submitter;
  var busy = form.getAttribute("data-busy");
  window.setTimeout(function () {
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
    if (busy && pressed) { pressed.setAttribute("data-label", pressed.textContent); pressed.textContent = busy; }
  }, 0);
});
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[aria-busy]").forEach(function (form) {
    form.removeAttribute("aria-busy");
    form.querySelectorAll("[disabled]").forEach(function (button) { button.disabled = false; });
    form.querySelectorAll("[data-label]").forEach(function (button) {
      button.textContent = button.getAttribute("data-label");
      button.removeAttribute("data-label");
    });
  });
});

// A file to download (data-download holds the words shown meanwhile): the link says it is being
// prepared until the server answers, which it tells by a short-lived cookie named after a token
// the link sends (tracking.middleware.DownloadStartedMiddleware); pressed again meanwhile, nothing.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-download]");
  if (!link) return;
  event.preventDefault();
  if (link.getAttribute("aria-busy") === "true") return;
  var token = Math.random().toString(36).slice(2, 12);
  var url = new URL(link.href, window.location.href);
  url.searchParams.set("download", token);
  var label = link.textContent;
  link.setAttribute("aria-busy", "true");
  link.classList.add("is-busy");
  link.textContent = link.getAttribute("data-download");
  var started = Date.now();
  var timer = window.setInterval(function () {
    var done = document.cookie.split("; ").indexOf("download_" + token + "=1") !== -1;
    if (done || Date.now() - started > 120000) {
      window.clearInterval(timer);
      document.cookie = "download_" + token + "=; Max-Age=0; path=/";
      link.textContent = label;
      link.classList.remove("is-busy");
      link.removeAttribute("aria-busy");
    }
  }, 400);
  window.location.href = url.toString();
});

// Menus marked data-fold-on-phone are open beside the page; on a phone they start folded.
if (window.matchMedia && window.matchMedia("(max-width: 760px)").matches) {
  document.querySelectorAll("details[data-fold-on-phone]").forEach(function (menu) { menu.open = false; });
}
