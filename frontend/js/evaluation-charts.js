// Evaluation page: the metric chart (mean per model as bars, each seed's value as a point), the metric-by-epoch
// chart of LoRA runs, and click-to-sort on the comparison table.
document.addEventListener('DOMContentLoaded', function () {
  var box = document.getElementById('chart-data');
  if (!box) { return; }
  var data = JSON.parse(box.getAttribute('data-chart'));
  var select = document.getElementById('chart-metric');
  var chart = null;
  var epochChart = null;

  // the same definitions as a report's chart blocks (charts.js)
  function draw(key) {
    var config = StainbenchCharts.config('bar', data, key);
    if (!config) { return; }
    if (chart) { chart.destroy(); }
    chart = new Chart(document.getElementById('metric-chart'), config);
    var canvas = document.getElementById('epoch-chart');
    var epochConfig = StainbenchCharts.config('epoch', data, key);
    if (canvas && epochConfig) {
      if (epochChart) { epochChart.destroy(); }
      epochChart = new Chart(canvas, epochConfig);
      window.stainbenchEvaluationEpochChart = epochChart;
    }
    window.stainbenchEvaluationChart = chart;
  }
  draw(select.value);
  select.addEventListener('change', function () { draw(select.value); });

  var table = document.getElementById('comparison');
  table.querySelectorAll('thead th').forEach(function (th, col) {
    th.style.cursor = 'pointer';
    th.addEventListener('click', function () {
      var numeric = th.getAttribute('data-sort') === 'number';
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('thead th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.querySelectorAll('tr.comparison-row'));
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute('data-value') || '';
        var y = b.cells[col].getAttribute('data-value') || '';
        var r;
        if (numeric) {
          var fx = x === '' ? Infinity : parseFloat(x);
          var fy = y === '' ? Infinity : parseFloat(y);
          r = fx - fy;
        } else {
          r = x.localeCompare(y);
        }
        return asc ? r : -r;
      });
      rows.forEach(function (r) {
        body.appendChild(r);
        body.querySelectorAll('tr.seed-row[data-seed-of="' + r.getAttribute('data-subject') + '"]')
          .forEach(function (s) { body.appendChild(s); });
      });
    });
  });
  // "per seed" (an empty <details> in the Model cell) shows the row's per-seed values as rows of the table, under the
  // metric columns, instead of a table inside the cell
  table.querySelectorAll('details.seeds').forEach(function (d) {
    d.addEventListener('toggle', function () {
      table.querySelectorAll('tr.seed-row[data-seed-of="' + d.getAttribute('data-seeds-of') + '"]')
        .forEach(function (s) { s.hidden = !d.open; });
    });
  });
});
