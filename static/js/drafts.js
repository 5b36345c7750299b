// Nothing typed is lost: every form marked data-draft keeps what is typed in
// localStorage (per user and page) until the form has been sent and the next
// page shows no error. When a session ends while typing, the user signs in
// again, comes back to the page, and the text is put back with a notice.
(function () {
  var user = document.body.dataset.userId;
  if (!user || !window.localStorage) return;
  var PREFIX = "tracking:draft:" + user + ":";
  var SENT = "tracking:draft-sent";

  function keyFor(form, index) {
    return PREFIX + window.location.pathname + "#" + (form.id || index);
  }
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "password" &&
        el.type !== "file" && el.type !== "hidden" && el.type !== "submit" && el.type !== "button";
    });
  }
  function snapshot(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        data[el.name + "=" + el.value] = el.checked;
      } else if (el.multiple) {
        data[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }
  function restore(form, data) {
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        var k = el.name + "=" + el.value;
        if (k in data) el.checked = data[k];
      } else if (el.multiple && Array.isArray(data[el.name])) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = data[el.name].indexOf(o.value) >= 0; });
      } else if (el.name in data) {
        el.value = data[el.name];
      }
    });
  }

  // A form sent on the previous page: if this page is not the sign-in page and
  // shows no errors, the save went through and the draft can go.
  var sent = sessionStorage.getItem(SENT);
  if (sent) {
    sessionStorage.removeItem(SENT);
    var failed = document.querySelector(".alert-error, .field-error, form[data-login-form]");
    if (!failed) localStorage.removeItem(sent);
  }

  // Signing out on purpose: drafts of this user leave the (maybe shared) computer too.
  var logout = document.querySelector("form[data-logout-form]");
  if (logout) {
    logout.addEventListener("submit", function () {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf(PREFIX) === 0) localStorage.removeItem(k);
      }
    });
  }

  var forms = document.querySelectorAll("form[data-draft]");
  Array.prototype.forEach.call(forms, function (form, index) {
    var key = keyFor(form, index);
    var saved = localStorage.getItem(key);
    var hasErrors = form.querySelector(".field-error, .alert-error");
    if (saved && !hasErrors) {
      try {
        var draft = JSON.parse(saved);
        restore(form, draft.values);
        var note = document.getElementById("draft-restored-template");
        if (note) {
          var box = note.content.firstElementChild.cloneNode(true);
          box.querySelector("[data-discard]").addEventListener("click", function () {
            localStorage.removeItem(key);
            window.location.reload();
          });
          form.insertBefore(box, form.firstChild);
        }
      } catch (e) { localStorage.removeItem(key); }
    }
    var timer = null;
    function save() {
      localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), values: snapshot(form) }));
    }
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 400);
    });
    form.addEventListener("change", save);
    form.addEventListener("submit", function () {
      save();
      sessionStorage.setItem(SENT, key);
    });
    document.addEventListener("tracking:session-expired", save);
  });
})();

