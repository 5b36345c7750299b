// Idle-timeout warning. The server ends a session after a period without
// requests (accounts.session); this script counts down with it, warns shortly
// before, offers "stay signed in", and when the time is up sends the user to
// the sign-in page, which brings them back here afterwards. Tabs share the
// time of the latest activity through localStorage.
(function () {
  var body = document.body;
  var left = parseInt(body.dataset.sessionSecondsLeft || "", 10);
  if (isNaN(left)) return;
  var warnBefore = parseInt(body.dataset.sessionWarningSeconds || "120", 10);
  var keepAliveUrl = body.dataset.keepAliveUrl;
  var loginUrl = body.dataset.loginUrl;
  var dialog = document.getElementById("session-warning");
  var countdown = document.getElementById("session-countdown");
  var stay = document.getElementById("session-stay");
  var KEY = "tracking:sessionEndsAt";

  function setEnd(endsAt) {
    try { localStorage.setItem(KEY, String(endsAt)); } catch (e) { /* private mode */ }
  }
  function getEnd() {
    var stored = 0;
    try { stored = parseInt(localStorage.getItem(KEY) || "0", 10); } catch (e) { /* private mode */ }
    return Math.max(stored, endsAt);
  }
  var endsAt = Date.now() + left * 1000;
  setEnd(endsAt);

  function expire() {
    document.dispatchEvent(new CustomEvent("tracking:session-expired"));
    var next = window.location.pathname + window.location.search;
    window.location.assign(loginUrl + "?next=" + encodeURIComponent(next));
  }

  function tick() {
    endsAt = getEnd();
    var remaining = Math.round((endsAt - Date.now()) / 1000);
    if (remaining <= 0) { expire(); return; }
    if (remaining <= warnBefore) {
      dialog.hidden = false;
      var m = Math.floor(remaining / 60), s = remaining % 60;
      countdown.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    } else {
      dialog.hidden = true;
    }
    window.setTimeout(tick, 1000);
  }

  stay.addEventListener("click", function () {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": body.dataset.csrfToken || (token && token.value) || "" },
    }).then(function (response) {
      if (!response.ok || response.redirected) { expire(); return null; }
      return response.json();
    }).then(function (data) {
      if (!data) return;
      endsAt = Date.now() + data.seconds_left * 1000;
      setEnd(endsAt);
      dialog.hidden = true;
    }).catch(function () { /* offline: keep counting; the server decides */ });
  });

  window.setTimeout(tick, 1000);
})();
