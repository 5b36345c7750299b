// Nothing typed is lost: every form marked data-draft keeps what is typed in
// localStorage (per user and page) until a save of it has gone through. When a
// session ends while typing, or before the form is sent, the user signs in
// again, comes back to the page, and the text is put back with a notice;
// nothing is sent until they press the button themselves.
//
// A save has gone through only when the page after the submit is shown to the
// same user, comes from the form's page, says "saved" (a success message) and
// shows no error. A submit that ends on the sign-in page (the session had
// ended) keeps the draft: that page has no user, so it forgets the submit, and
// the first page after signing in again (which says "signed in", a success
// message too) cannot be taken for the save.
//
// Shared computers: drafts are keyed by user id, so nobody else sees them;
// signing out on purpose removes the user's drafts; drafts older than
// MAX_AGE_DAYS are dropped.
(function () {
  var SENT = "tracking:draft-sent";
  var MAX_AGE_DAYS = 14;
  var user = document.body.dataset.userId;
  var storage;
  try { storage = window.localStorage; } catch (e) { return; /* storage blocked */ }
  if (!storage) return;

  var sent = null;
  try {
    sent = JSON.parse(sessionStorage.getItem(SENT) || "null");
    sessionStorage.removeItem(SENT);
  } catch (e) { sent = null; }
  // No one signed in (the sign-in page after an ended session): the submit was not saved.
  if (!user) return;
  var PREFIX = "tracking:draft:" + user + ":";

  function cameFrom(path) {
    if (!document.referrer) return true; // no referrer sent: the message has to do
    try { return new URL(document.referrer).pathname === path; } catch (e) { return false; }
  }
  if (sent && sent.user === user && sent.key && cameFrom(sent.path) &&
      document.querySelector(".messages .message-success") &&
      !document.querySelector(".alert-error, .field-error, .row-error")) {
    storage.removeItem(sent.key);
  }

  // Old drafts of this user go.
  for (var i = storage.length - 1; i >= 0; i--) {
    var k = storage.key(i);
    if (!k || k.indexOf(PREFIX) !== 0) continue;
    try {
      if (Date.now() - JSON.parse(storage.getItem(k)).savedAt > MAX_AGE_DAYS * 86400000) storage.removeItem(k);
    } catch (e) { storage.removeItem(k); }
  }

  function keyFor(form, index) {
    return PREFIX + window.location.pathname + "#" + (form.id || index);
  }
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "password" &&
        el.type !== "file" && el.type !== "hidden" && el.type !== "submit" && el.type !== "button";
    });
  }
  // Hidden fields say which rows and which version the typing was done on (row ids, the form
  // count of a formset, the version or stamp that stops a lost update). They are kept with the
  // draft and put back with it, so a save over someone else's newer save is still caught by the
  // server; a form whose hidden fields are now different ones (rows added or removed) is not
  // filled in, as the values could land in other rows.
  function hiddenValues(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.type === "hidden" && el.name !== "csrfmiddlewaretoken") data[el.name] = el.value;
    });
    return data;
  }
  function sameNames(a, b) {
    var ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every(function (k, i) { return k === kb[i]; });
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

  // Signing out on purpose: drafts of this user leave the (maybe shared) computer too.
  var logout = document.querySelector("form[data-logout-form]");
  if (logout) {
    logout.addEventListener("submit", function () {
      for (var i = storage.length - 1; i >= 0; i--) {
        var k = storage.key(i);
        if (k && k.indexOf(PREFIX) === 0) storage.removeItem(k);
      }
    });
  }

  var forms = document.querySelectorAll("form[data-draft]");
  Array.prototype.forEach.call(forms, function (form, index) {
    var key = keyFor(form, index);
    var saved = storage.getItem(key);
    var hasErrors = form.querySelector(".alert-error, .field-error, .row-error");
    if (saved && !hasErrors) {
      try {
        var draft = JSON.parse(saved);
        var hidden = hiddenValues(form);
        var fits = !draft.hidden || sameNames(draft.hidden, hidden);
        if (fits) {
          restore(form, draft.values);
          Object.keys(draft.hidden || {}).forEach(function (name) {
            Array.prototype.forEach.call(form.elements, function (el) {
              if (el.name === name && el.type === "hidden") el.value = draft.hidden[name];
            });
          });
        }
        var note = document.getElementById(fits ? "draft-restored-template" : "draft-not-restored-template");
        if (note) {
          var box = note.content.firstElementChild.cloneNode(true);
          box.querySelector("[data-discard]").addEventListener("click", function () {
            storage.removeItem(key);
            window.location.reload();
          });
          form.insertBefore(box, form.firstChild);
          // On a phone the office menu comes first: bring the notice and the form into sight.
          if (box.getBoundingClientRect().top > window.innerHeight) box.scrollIntoView({ block: "start" });
        }
      } catch (e) { storage.removeItem(key); }
    }
    var timer = null;
    function save() {
      try {
        storage.setItem(key, JSON.stringify({ savedAt: Date.now(), values: snapshot(form), hidden: hiddenValues(form) }));
      } catch (e) { /* storage full: the form still sends */ }
    }
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 400);
    });
    form.addEventListener("change", save);
    form.addEventListener("submit", function () {
      save();
      try {
        sessionStorage.setItem(SENT, JSON.stringify({ key: key, user: user, path: window.location.pathname }));
      } catch (e) { /* private mode: the draft stays until discarded */ }
    });
    document.addEventListener("tracking:session-expired", save);
  });
})();

