// Metric curves of a run: one Chart.js line chart per metric key, with exponential smoothing, a log-scale
// switch, drag-to-zoom on steps (double-click resets) and epoch markers (dashed lines where a metric named
// "epoch" changes value); refreshed every 5 s while the run is RUNNING.
// The server reduces each curve per pixel (min/max per bucket, at most 2 points per pixel of the chart's width);
// a zoom asks again for that step range, which comes back exact once it holds few enough points. While RUNNING the
// poll asks only for the points past the last step received (?after=) and appends them.
(function () {
  var box = document.getElementById('charts');
  if (!box) return;
  var charts = {};
  var data = {};
  var zoom = null; // [min, max] steps, or null for everything
  var EPOCH = 'epoch';
  function smooth(values, alpha) {
    if (!alpha) return values;
    var out = [], last = null;
    values.forEach(function (v) { last = last === null ? v : alpha * last + (1 - alpha) * v; out.push(last); });
    return out;
  }
  // steps at which the logged "epoch" metric takes a new value (logged once per epoch, or at every step)
  function epochSteps() {
    var points = data[EPOCH] || [], out = [], last = null;
    points.forEach(function (p) { if (p.value !== last) { out.push({ step: p.step, epoch: p.value }); last = p.value; } });
    return out;
  }
  var markers = {
    id: 'epochMarkers',
    afterDatasetsDraw: function (chart) {
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = 'rgba(0,0,0,.35)'; ctx.setLineDash([4, 4]); ctx.fillStyle = 'rgba(0,0,0,.55)';
      ctx.font = '10px sans-serif';
      epochSteps().forEach(function (m) {
        var px = x.getPixelForValue(m.step);
        if (px < area.left || px > area.right) return;
        ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
        ctx.fillText('epoch ' + m.epoch, px + 3, area.top + 10);
      });
      var sel = chart.$selection;
      if (sel) {
        ctx.setLineDash([]); ctx.fillStyle = StainbenchCharts.alpha(StainbenchCharts.colour('accent'), 0.15);
        ctx.fillRect(Math.min(sel[0], sel[1]), area.top, Math.abs(sel[1] - sel[0]), area.bottom - area.top);
      }
      ctx.restore();
    }
  };
  function enableZoom(chart, canvas) {
    canvas.addEventListener('mousedown', function (e) { chart.$selection = [e.offsetX, e.offsetX]; });
    canvas.addEventListener('mousemove', function (e) { if (chart.$selection) { chart.$selection[1] = e.offsetX; chart.draw(); } });
    canvas.addEventListener('mouseup', function () {
      var sel = chart.$selection; chart.$selection = null;
      if (sel && Math.abs(sel[1] - sel[0]) > 5) {
        var a = chart.scales.x.getValueForPixel(Math.min(sel[0], sel[1]));
        var b = chart.scales.x.getValueForPixel(Math.max(sel[0], sel[1]));
        zoom = [a, b];
        load();
      } else chart.draw();
    });
    canvas.addEventListener('dblclick', function () { zoom = null; load(); });
  }
  // a metric logged once per epoch (named epoch_*, or logged at steps that are the values of "epoch" while "epoch"
  // itself is logged at later steps) is drawn against the epoch, on whole-number ticks, without step markers
  function perEpoch(key) {
    if (/^epoch_|_epoch$|_per_epoch/.test(key)) return true;
    var marks = epochSteps();
    if (!marks.length || !data[key] || !data[key].length) return false;
    var epochs = marks.map(function (m) { return m.epoch; });
    var lastStep = marks[marks.length - 1].step;
    var maxEpoch = Math.max.apply(null, epochs);
    return lastStep > maxEpoch && data[key].length <= epochs.length + 1
      && data[key].every(function (p) { return Math.round(p.step) === p.step && p.step <= maxEpoch; });
  }
  function draw() {
    var smoothing = document.getElementById('smoothing');
    var logscale = document.getElementById('logscale');
    var alpha = smoothing ? parseFloat(smoothing.value || '0') : 0;
    var log = logscale ? logscale.checked : false;
    var reset = document.getElementById('zoom-reset');
    if (reset) reset.hidden = zoom === null;
    Object.keys(data).sort().forEach(function (key) {
      if (key === EPOCH && Object.keys(data).length > 1) return;
      var points = data[key];
      var raw = points.map(function (p) { return typeof p.value === 'number' ? p.value : NaN; });
      var xy = function (values) { return values.map(function (v, i) { return { x: points[i].step, y: v }; }); };
      var byEpoch = perEpoch(key);
      var ds = [{ label: key, data: xy(smooth(raw, alpha)), borderColor: StainbenchCharts.colour('accent'), backgroundColor: StainbenchCharts.colour('accent'),
        pointRadius: byEpoch ? 3 : 0, borderWidth: 1.5 }];
      if (alpha) ds.push({ label: key + ' (raw)', data: xy(raw), borderColor: StainbenchCharts.alpha(StainbenchCharts.colour('accent'), 0.25), pointRadius: 0, borderWidth: 1 });
      var x = byEpoch
        ? { type: 'linear', title: { display: true, text: 'epoch' }, ticks: { stepSize: 1, precision: 0 } }
        : { type: 'linear', title: { display: true, text: 'step' }, ticks: { precision: 0 },
            min: zoom ? zoom[0] : undefined, max: zoom ? zoom[1] : undefined };
      if (!charts[key]) {
        var fig = document.createElement('figure');
        var canvas = document.createElement('canvas');
        canvas.setAttribute('data-metric', key);
        canvas.setAttribute('data-x-axis', byEpoch ? 'epoch' : 'step');
        fig.appendChild(canvas);
        box.appendChild(fig);
        charts[key] = new Chart(canvas, { type: 'line', data: { datasets: ds }, plugins: byEpoch ? [] : [markers],
          options: { animation: false, parsing: true, plugins: { title: { display: true, text: key } },
            scales: { x: x, y: { type: log ? 'logarithmic' : 'linear' } } } });
        if (!byEpoch) enableZoom(charts[key], canvas);
      } else {
        var c = charts[key];
        c.data.datasets = ds;
        if (!byEpoch) { c.options.scales.x.min = x.min; c.options.scales.x.max = x.max; }
        c.options.scales.y.type = log ? 'logarithmic' : 'linear';
        c.update();
      }
    });
  }
  function width() {
    return Math.max(50, Math.min(1000, Math.round(box.clientWidth || 800)));
  }
  // {key: {steps, values, total, exact}} → {key: [{step, value}]}
  function points(curve) {
    return curve.steps.map(function (s, i) { return { step: s, value: curve.values[i] }; });
  }
  function query(params) {
    var q = Object.keys(params).filter(function (k) { return params[k] !== null && params[k] !== undefined; })
      .map(function (k) { return k + '=' + encodeURIComponent(params[k]); }).join('&');
    return box.dataset.src + (box.dataset.src.indexOf('?') < 0 ? '?' : '&') + q;
  }
  function get(url) {
    return fetch(url, { headers: { 'Accept': 'application/json' } }).then(function (r) { return r.json(); });
  }
  function load() {
    var from = zoom ? Math.floor(zoom[0]) : null, to = zoom ? Math.ceil(zoom[1]) : null;
    get(query({ width: width(), from: from, to: to })).then(function (json) {
      data = {};
      Object.keys(json).forEach(function (k) { data[k] = points(json[k]); });
      var empty = document.getElementById('no-metrics');
      if (empty) empty.hidden = Object.keys(json).length > 0;
      draw();
    });
  }
  // the live tail: points past the last step of every curve; a curve with too many new points is loaded again
  function poll() {
    if (zoom) return;
    var last = null;
    Object.keys(data).forEach(function (k) {
      var p = data[k], s = p.length ? p[p.length - 1].step : null;
      if (s !== null && (last === null || s < last)) last = s;
    });
    if (last === null) { load(); return; }
    get(query({ width: width(), after: last })).then(function (json) {
      var reload = false;
      Object.keys(json).forEach(function (k) {
        var c = json[k];
        if (!c.exact) { reload = true; return; }
        var have = data[k] || [], end = have.length ? have[have.length - 1].step : null;
        points(c).forEach(function (p) { if (end === null || p.step > end) have.push(p); });
        data[k] = have;
        if (have.length > 4 * width()) reload = true;
      });
      if (reload) load(); else draw();
    });
  }
  window.stainbenchRunCharts = charts;
  document.addEventListener('DOMContentLoaded', function () {
    ['smoothing', 'logscale'].forEach(function (id) {
      var el = document.getElementById(id);
      if (el) el.addEventListener('input', draw);
    });
    var reset = document.getElementById('zoom-reset');
    if (reset) reset.addEventListener('click', function () { zoom = null; load(); });
    load();
    if (box.dataset.live === 'true') setInterval(poll, 5000);
  });
})();
