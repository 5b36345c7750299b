// The admin's calendar for the date inputs that take d/m/พ.ศ. (tracking.admin.ThaiAdminDateWidget,
// marked data-buddhist-era): it shows the month with its พ.ศ. year, opens on the month typed in
// พ.ศ., and writes the พ.ศ. year into the input. Django's own calendar (DateTimeShortcuts.js,
// calendar.js) knows only the Christian year; other date inputs of the admin keep it.
// The admin may put this script before Django's (it merges the widgets' scripts), so the calendar is
// adjusted once every script has run and before Django's sets up its calendars (on "load").
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var OFFSET = 543;
  var shortcuts = window.DateTimeShortcuts;
  var calendar = window.CalendarNamespace;
  if (!shortcuts || !calendar) return;

  function thai(num) {
    var input = shortcuts.calendarInputs[num];
    return Boolean(input && input.hasAttribute("data-buddhist-era"));
  }
  function shiftYear(text, by) {
    return text.replace(/\d{4}/, function (year) { return String(Number(year) + by); });
  }

  // What the calendar and the "today" links write: the year the Christian one plus 543.
  var callback = shortcuts.handleCalendarCallback;
  shortcuts.handleCalendarCallback = function (num) {
    var write = callback.call(shortcuts, num);
    return function (y, m, d) {
      write(y, m, d);
      if (thai(num)) shortcuts.calendarInputs[num].value = shiftYear(shortcuts.calendarInputs[num].value, OFFSET);
    };
  };
  var quickLink = shortcuts.handleCalendarQuickLink;
  shortcuts.handleCalendarQuickLink = function (num, offset) {
    quickLink.call(shortcuts, num, offset);
    if (thai(num)) shortcuts.calendarInputs[num].value = shiftYear(shortcuts.calendarInputs[num].value, OFFSET);
  };

  // Opened on the month typed: Django reads the year as Christian, so it is read with 543 less.
  var open = shortcuts.openCalendar;
  shortcuts.openCalendar = function (num) {
    var input = shortcuts.calendarInputs[num];
    if (!thai(num) || !/\d{4}/.test(input.value) || Number(input.value.match(/\d{4}/)[0]) < 2400) {
      return open.call(shortcuts, num);
    }
    var typed = input.value;
    input.value = shiftYear(typed, -OFFSET);
    try {
      return open.call(shortcuts, num);
    } finally {
      input.value = typed;
    }
  };

  // The month's heading: "พฤศจิกายน 2568", not 2025.
  var draw = calendar.draw;
  calendar.draw = function (month, year, divId) {
    var result = draw.apply(calendar, arguments);
    var num = String(divId).slice(shortcuts.calendarDivName2.length);
    var caption = document.querySelector("#" + divId + " caption");
    if (caption && thai(num)) {
      caption.textContent = calendar.monthsOfYear[Number(month) - 1] + " " + (Number(year) + OFFSET);
    }
    return result;
  };
});
