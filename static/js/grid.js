// Running totals of a grid form: inputs carry data-row and data-col keys; cells
// marked data-total-row / data-total-col / data-total-all show the sums.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector(".grid-form");
  if (!form) return;
  var thaiDigits = "๐๑๒๓๔๕๖๗๘๙";
  function value(input) {
    var text = input.value.replace(/[๐-๙]/g, function (d) { return thaiDigits.indexOf(d); }).replace(/[,\s]/g, "");
    var number = parseFloat(text);
    return isNaN(number) ? 0 : number;
  }
  var format = new Intl.NumberFormat("th-TH", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  function update() {
    var rows = {}, cols = {}, all = {};
    form.querySelectorAll("input[data-row]").forEach(function (input) {
      var v = value(input), row = input.dataset.row, col = input.dataset.col;
      rows[row] = (rows[row] || 0) + v;
      cols[col] = (cols[col] || 0) + v;
      all[row.charAt(0)] = (all[row.charAt(0)] || 0) + v;
    });
    form.querySelectorAll("[data-total-row]").forEach(function (cell) { cell.textContent = format.format(rows[cell.dataset.totalRow] || 0); });
    form.querySelectorAll("[data-total-col]").forEach(function (cell) { cell.textContent = format.format(cols[cell.dataset.totalCol] || 0); });
    form.querySelectorAll("[data-total-all]").forEach(function (cell) { cell.textContent = format.format(all[cell.dataset.totalAll] || 0); });
  }
  form.addEventListener("input", update);
  update();
});
