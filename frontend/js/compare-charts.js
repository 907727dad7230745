// Overlaid curves of several runs (or seed groups with a band), one chart per metric.
(function () {
  var box = document.getElementById('charts');
  if (!box) return;
  var charts = [];
  function render(json) {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    box.innerHTML = '';
    Object.keys(json).sort().forEach(function (metric) {
      var datasets = [];
      json[metric].forEach(function (series, i) {
        var color = StainbenchCharts.series(i);
        var pts = series.points;
        var banded = pts.some(function (p) { return p[4] > 1; });
        if (banded) {
          datasets.push({ label: series.label + ' low', data: pts.map(function (p) { return { x: p[0], y: p[2] }; }),
            borderWidth: 0, pointRadius: 0, fill: false, showLine: true });
          datasets.push({ label: series.label + ' band', data: pts.map(function (p) { return { x: p[0], y: p[3] }; }),
            borderWidth: 0, pointRadius: 0, backgroundColor: StainbenchCharts.alpha(color, 0.18), fill: '-1', showLine: true });
        }
        datasets.push({ label: series.label, data: pts.map(function (p) { return { x: p[0], y: p[1] }; }),
          borderColor: color, backgroundColor: color, pointRadius: 0, borderWidth: 1.6, showLine: true });
      });
      var fig = document.createElement('figure');
      var canvas = document.createElement('canvas');
      canvas.setAttribute('data-metric', metric);
      fig.appendChild(canvas);
      box.appendChild(fig);
      charts.push(new Chart(canvas, { type: 'scatter', data: { datasets: datasets },
        options: { animation: false,
          plugins: { title: { display: true, text: metric },
            legend: { labels: { filter: function (item) { return !/ (low|band)$/.test(item.text); } } } },
          // per-epoch metrics (epoch_*) against the epoch; never fractional steps or epochs
          scales: { x: { title: { display: true, text: /^epoch_|_epoch$/.test(metric) ? 'epoch' : 'step' },
            ticks: { precision: 0 } } } } }));
    });
  }
  function load() {
    var band = document.getElementById('band');
    // the server reduces each curve to at most 2 points per pixel of this width
    var width = Math.max(50, Math.min(1000, Math.round(box.clientWidth || 800)));
    var url = box.dataset.src + (band ? '&band=' + band.value : '') + '&width=' + width;
    fetch(url, { headers: { 'Accept': 'application/json' } }).then(function (r) { return r.json(); }).then(render);
  }
  document.addEventListener('DOMContentLoaded', function () {
    var band = document.getElementById('band');
    if (band) band.addEventListener('change', load);
    load();
  });
})();
