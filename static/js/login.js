// Sign-in page: warn while typing when the password field receives Thai letters
// (keyboard in Thai mode) or Caps Lock is on, the two usual causes of a failed
// sign-in; and after a sign-in refused for a password typed in Thai mode, offer
// to show what the same keys give on the English layout.
//
// That English equivalent is nearly always the real password, so the server
// never writes it into the page: it is worked out here from the Thai letters
// typed and the key map the page carries (accounts.keyboard.TO_QWERTY as a
// JSON block), shown masked until asked for, and kept for one page load only.
document.addEventListener("DOMContentLoaded", function () {
  var STASH = "tracking:thaiPassword";  // also cleared by site.js on every other page
  var form = document.querySelector("form[data-login-form]");
  var password = document.querySelector("input[name=password]");
  var thaiHint = document.getElementById("thai-keyboard-hint");
  var capsHint = document.getElementById("caps-lock-hint");
  if (!form || !password) return;
  var thai = /[\u0E00-\u0E7F]/;

  function check(event) {
    if (thaiHint) thaiHint.hidden = !thai.test(password.value);
    if (capsHint && event && event.getModifierState) capsHint.hidden = !event.getModifierState("CapsLock");
  }
  password.addEventListener("input", check);
  password.addEventListener("keyup", check);
  check();

  // What was typed in Thai mode, for the page the refusal comes back on (this tab only).
  var stashed = "";
  try {
    stashed = sessionStorage.getItem(STASH) || "";
    sessionStorage.removeItem(STASH);
  } catch (e) { /* storage off: the person types the password again */ }
  form.addEventListener("submit", function () {
    try {
      if (thai.test(password.value)) sessionStorage.setItem(STASH, password.value);
      else sessionStorage.removeItem(STASH);
    } catch (e) { /* storage off */ }
  });

  var help = document.getElementById("thai-keyboard-help");
  var mapBlock = document.getElementById("thai-keyboard-map");
  if (!help || !mapBlock) return;
  var keyMap = JSON.parse(mapBlock.textContent);

  // Windows or Mac: show the way to switch on this computer first.
  var platform = (navigator.userAgentData && navigator.userAgentData.platform) || navigator.platform || "";
  var os = /mac/i.test(platform) ? "mac" : (/win/i.test(platform) ? "windows" : "");
  if (os) {
    help.querySelectorAll("[data-os]").forEach(function (item) {
      if (item.getAttribute("data-os") === os) item.parentNode.insertBefore(item, item.parentNode.firstChild);
    });
  }

  var panel = help.querySelector("[data-english-panel]");
  var reveal = help.querySelector("[data-reveal-english]");
  var output = help.querySelector("[data-english-password]");
  var use = help.querySelector("[data-use-english]");
  var retype = help.querySelector("[data-retype]");
  var shown = false;

  function toEnglish(text) {
    return Array.from(text).map(function (ch) { return keyMap[ch] || ch; }).join("");
  }
  function source() {
    return thai.test(password.value) ? password.value : stashed;
  }
  function render() {
    var typed = source();
    retype.hidden = Boolean(typed);
    reveal.disabled = !typed;
    use.hidden = !typed;
    var english = typed ? toEnglish(typed) : "";
    output.textContent = shown ? english : "\u2022".repeat(english.length);
    output.classList.toggle("password-masked", !shown);
    reveal.setAttribute("aria-pressed", shown ? "true" : "false");
    reveal.textContent = shown ? reveal.getAttribute("data-hide-label") : reveal.getAttribute("data-show-label");
  }
  reveal.addEventListener("click", function () { shown = !shown; render(); });
  use.addEventListener("click", function () {
    password.value = toEnglish(source());
    stashed = "";
    panel.hidden = true;
    check();
    password.focus();
  });
  password.addEventListener("input", render);
  panel.hidden = false;
  render();
});
