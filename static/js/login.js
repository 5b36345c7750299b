// Warn while typing when the password field receives Thai letters (keyboard in
// Thai mode) or Caps Lock is on: the two usual causes of a failed sign-in.
document.addEventListener("DOMContentLoaded", function () {
  var password = document.querySelector("input[name=password]");
  var thaiHint = document.getElementById("thai-keyboard-hint");
  var capsHint = document.getElementById("caps-lock-hint");
  if (!password) return;
  var thai = /[\u0E00-\u0E7F]/;
  function check(event) {
    if (thaiHint) thaiHint.hidden = !thai.test(password.value);
    if (capsHint && event && event.getModifierState) capsHint.hidden = !event.getModifierState("CapsLock");
  }
  password.addEventListener("input", check);
  password.addEventListener("keyup", check);
  check();
});
