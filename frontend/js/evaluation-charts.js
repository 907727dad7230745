// Evaluation page: the metric chart (mean per model as bars, each seed's value as a point), the metric-by-epoch
// chart of LoRA runs, and click-to-sort on the comparison table.
document.addEventListener('DOMContentLoaded', function () {
  var box = document.getElementById('chart-data');
  if (!box) { return; }
  var data = JSON.parse(box.getAttribute('data-chart'));
  var select = document.getElementById('chart-metric');
  var chart = null;
  var epochChart = null;
  var colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

  function draw(key) {
    var m = data.metrics.find(function (x) { return x.key === key; });
    if (!m) { return; }
    var maxSeeds = m.seeds.reduce(function (a, s) { return Math.max(a, s.length); }, 0);
    var datasets = [{type: 'bar', label: m.label + ' (mean over seeds)', data: m.mean, backgroundColor: 'rgba(31,119,180,0.35)'}];
    for (var i = 0; i < maxSeeds; i++) {
      datasets.push({type: 'line', label: i === 0 ? 'per-seed values' : 'seed #' + i, showLine: false, pointRadius: 4,
        borderColor: '#d62728', backgroundColor: '#d62728',
        data: m.seeds.map(function (s) { return s.length > i ? s[i] : null; })});
    }
    if (chart) { chart.destroy(); }
    chart = new Chart(document.getElementById('metric-chart'), {
      data: {labels: data.labels, datasets: datasets},
      options: {animation: false, plugins: {legend: {labels: {filter: function (item) { return item.datasetIndex < 2; }}}},
        scales: {y: {beginAtZero: true, title: {display: true, text: m.label + ' (lower is better)'}}}}
    });
    var canvas = document.getElementById('epoch-chart');
    if (canvas && data.runs.length > 0) {
      if (epochChart) { epochChart.destroy(); }
      epochChart = new Chart(canvas, {
        type: 'line',
        data: {datasets: data.runs.map(function (r, j) {
          return {label: r.name || r.run.substring(0, 8), borderColor: colours[j % colours.length],
            data: r.epochs.map(function (e, k) { return {x: e, y: r.values[key][k]}; })};
        })},
        options: {animation: false, scales: {x: {type: 'linear', title: {display: true, text: 'epoch'}, ticks: {stepSize: 1, precision: 0}},
          y: {title: {display: true, text: m.label}}}}
      });
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
