// Metric vs epoch of a training run: one line per protocol fingerprint (every evaluation
// of the run under it joined, the newest value per epoch; mean over seeds) with a ±1 std band; the metric is
// chosen in #epoch-metric. Clicking a point opens its evaluation. Redrawn when htmx refreshes #by-epoch.
(function () {
  var chart = null, json = null, chosen = null;
  function draw() {
    var canvas = document.getElementById('epoch-chart');
    var select = document.getElementById('epoch-metric');
    if (!canvas || !json) return;
    var key = select && select.value ? select.value : (json.metrics[0] || {}).key;
    chosen = key;
    var datasets = [];
    json.series.forEach(function (s, i) {
      var colour = StainbenchCharts.series(i);
      var pts = s.points.filter(function (p) { return p.values[key]; });
      var at = function (f) { return pts.map(function (p) { return { x: p.epoch, y: f(p.values[key]), href: p.evaluationHref || s.href }; }); };
      datasets.push({ label: s.name + ' (−1 std)', data: at(function (v) { return v[0] - v[1]; }), borderWidth: 0, pointRadius: 0, fill: false, band: true });
      datasets.push({ label: s.name + ' (+1 std)', data: at(function (v) { return v[0] + v[1]; }), borderWidth: 0, pointRadius: 0,
        backgroundColor: StainbenchCharts.alpha(colour, 0.2), fill: '-1', band: true });
      datasets.push({ label: s.name, data: at(function (v) { return v[0]; }), borderColor: colour, backgroundColor: colour, pointRadius: 4 });
    });
    var label = (json.metrics.filter(function (m) { return m.key === key; })[0] || {}).label || key;
    if (chart) chart.destroy();
    chart = new Chart(canvas, { type: 'line', data: { datasets: datasets },
      options: { animation: false,
        scales: { x: { type: 'linear', title: { display: true, text: 'epoch' }, ticks: { stepSize: 1, precision: 0 } },
          y: { title: { display: true, text: label + ' (mean ± std over seeds)' } } },
        plugins: { legend: { labels: { filter: function (item, d) { return !d.datasets[item.datasetIndex].band; } } } },
        onClick: function (e, els) { if (els.length) { var p = datasets[els[0].datasetIndex].data[els[0].index]; if (p.href) location.href = p.href; } } } });
    canvas.dataset.points = String(datasets.filter(function (d) { return !d.band; })
      .reduce(function (n, d) { return n + d.data.length; }, 0));
  }
  function load() {
    var box = document.getElementById('by-epoch');
    if (!box || !document.getElementById('epoch-chart')) return;
    fetch(box.dataset.src, { headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        json = j;
        var select = document.getElementById('epoch-metric');
        if (select && select.options.length === 0) {
          j.metrics.forEach(function (m) { select.add(new Option(m.label, m.key, false, m.key === chosen)); });
        }
        draw();
      });
  }
  document.addEventListener('DOMContentLoaded', load);
  document.addEventListener('htmx:afterSettle', function () {
    var canvas = document.getElementById('epoch-chart');
    if (canvas && (!chart || chart.canvas !== canvas)) { chart = null; load(); }
  });
  document.addEventListener('change', function (e) { if (e.target && e.target.id === 'epoch-metric') draw(); });
})();
