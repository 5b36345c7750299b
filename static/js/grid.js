// Running totals of a grid form: inputs carry data-row and data-col keys; cells
// marked data-total-row / data-total-col / data-total-all show the sums.
// Numbers are read as the server reads them (tracking/forms.py normalise_number):
// Thai digits, spaces and well-placed thousands commas are fine; what the server
// would refuse (1.234,50, 12,5) counts for nothing until it is typed right.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector(".grid-form");
  if (!form) return;
  var thaiDigits = "๐๑๒๓๔๕๖๗๘๙";
  var grouped = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;
  var plain = /^[+-]?\d+(\.\d*)?$/;
  function value(input) {
    var text = input.value
      .replace(/[๐-๙]/g, function (d) { return thaiDigits.indexOf(d); })
      .replace(/[\s\u200b\ufeff]/g, "")
      .replace(/บาท/g, "");
    if (grouped.test(text)) text = text.replace(/,/g, "");
    return plain.test(text) ? parseFloat(text) : 0;
  }
  // Money with satang; quantities (rows and columns keyed "q…") without ".00".
  var money = new Intl.NumberFormat("th-TH", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var quantity = new Intl.NumberFormat("th-TH", { minimumFractionDigits: 0, maximumFractionDigits: 2 });
  function format(key, number) {
    return (key.charAt(0) === "q" ? quantity : money).format(number || 0);
  }
  function update() {
    var rows = {}, cols = {}, all = {};
    form.querySelectorAll("input[data-row]").forEach(function (input) {
      var v = value(input), row = input.dataset.row, col = input.dataset.col;
      rows[row] = (rows[row] || 0) + v;
      cols[col] = (cols[col] || 0) + v;
      all[row.charAt(0)] = (all[row.charAt(0)] || 0) + v;
    });
    form.querySelectorAll("[data-total-row]").forEach(function (cell) { cell.textContent = format(cell.dataset.totalRow, rows[cell.dataset.totalRow]); });
    form.querySelectorAll("[data-total-col]").forEach(function (cell) { cell.textContent = format(cell.dataset.totalCol, cols[cell.dataset.totalCol]); });
    form.querySelectorAll("[data-total-all]").forEach(function (cell) { cell.textContent = format(cell.dataset.totalAll, all[cell.dataset.totalAll]); });
  }
  form.addEventListener("input", update);
  update();
});
