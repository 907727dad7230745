// Metric curves of a run: one Chart.js line chart per metric key, with exponential smoothing and a
// log-scale switch; refreshed every 5 s while the run is RUNNING.
(function () {
  var box = document.getElementById('charts');
  if (!box) return;
  var charts = {};
  var data = {};
  function smooth(values, alpha) {
    if (!alpha) return values;
    var out = [], last = null;
    values.forEach(function (v) { last = last === null ? v : alpha * last + (1 - alpha) * v; out.push(last); });
    return out;
  }
  function draw() {
    var alpha = parseFloat(document.getElementById('smoothing').value || '0');
    var log = document.getElementById('logscale').checked;
    Object.keys(data).sort().forEach(function (key) {
      var points = data[key];
      var steps = points.map(function (p) { return p.step; });
      var raw = points.map(function (p) { return typeof p.value === 'number' ? p.value : NaN; });
      var ds = [{ label: key, data: smooth(raw, alpha), borderColor: '#5b3a8c', pointRadius: 0, borderWidth: 1.5 }];
      if (alpha) ds.push({ label: key + ' (raw)', data: raw, borderColor: 'rgba(91,58,140,.25)', pointRadius: 0, borderWidth: 1 });
      if (!charts[key]) {
        var fig = document.createElement('figure');
        var canvas = document.createElement('canvas');
        canvas.setAttribute('data-metric', key);
        fig.appendChild(canvas);
        box.appendChild(fig);
        charts[key] = new Chart(canvas, { type: 'line', data: { labels: steps, datasets: ds },
          options: { animation: false, plugins: { title: { display: true, text: key } },
            scales: { x: { title: { display: true, text: 'step' } }, y: { type: log ? 'logarithmic' : 'linear' } } } });
      } else {
        var c = charts[key];
        c.data.labels = steps; c.data.datasets = ds;
        c.options.scales.y.type = log ? 'logarithmic' : 'linear';
        c.update();
      }
    });
  }
  function load() {
    fetch(box.dataset.src, { headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (json) { data = json; draw(); });
  }
  document.addEventListener('DOMContentLoaded', function () {
    ['smoothing', 'logscale'].forEach(function (id) {
      var el = document.getElementById(id);
      if (el) el.addEventListener('input', draw);
    });
    load();
    if (box.dataset.live === 'true') setInterval(load, 5000);
  });
})();
