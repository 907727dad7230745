// Dashboard charts: best value so far per target stain (step line over finish times), metric by epoch for the latest
// runs, GPU-hours per day per node (stacked bars). Clicking a point opens the page the figure comes from.
document.addEventListener('DOMContentLoaded', function () {
  var box = document.getElementById('dashboard-data');
  if (!box || typeof Chart === 'undefined') { return; }
  var data = JSON.parse(box.getAttribute('data-chart'));
  var colours = [];  // the series palette of stainbench.css
  for (var c = 0; c < 10; c++) { colours.push(StainbenchCharts.series(c)); }
  var charts = {best: [], epochs: [], gpu: null};
  window.stainbenchDashboard = charts;

  function follow(chart) {
    return function (event, elements) {
      if (!elements.length) { return; }
      var el = elements[0];
      var ds = chart().data.datasets[el.datasetIndex];
      var point = ds.data[el.index];
      var href = (point && point.href) || ds.href;
      if (href) { window.location.href = href; }
    };
  }
  function day(ms) { return new Date(ms).toISOString().substring(0, 19).replace('T', ' '); }

  data.stains.forEach(function (s, i) {
    var canvas = document.getElementById('best-chart-' + i);
    if (canvas && s.overTime.length > 0) {
      var best;
      best = new Chart(canvas, {
        type: 'line',
        data: {datasets: [{label: s.target + ': best ' + data.metric.label + ' so far', stepped: 'before', pointRadius: 5,
          borderColor: colours[0], backgroundColor: colours[0], data: s.overTime}]},
        options: {animation: false, aspectRatio: 3, onClick: follow(function () { return best; }),
          plugins: {tooltip: {callbacks: {label: function (c) { return c.raw.label + ': ' + c.raw.y.toPrecision(5); }}}},
          scales: {x: {type: 'linear', title: {display: true, text: 'evaluation finished (UTC)'},
            ticks: {callback: function (v) { return day(v); }, maxTicksLimit: 6}},
            y: {title: {display: true, text: data.metric.label + ' (lower is better)'}}}}
      });
      charts.best.push(best);
    }
    var ec = document.getElementById('epoch-chart-' + i);
    if (ec && s.epochs.length > 0) {
      var epochs;
      epochs = new Chart(ec, {
        type: 'line',
        data: {datasets: s.epochs.map(function (r, j) {
          return {label: r.label, href: r.href, borderColor: colours[j % colours.length],
            backgroundColor: colours[j % colours.length], pointRadius: 4, data: r.points};
        })},
        options: {animation: false, aspectRatio: 3, onClick: follow(function () { return epochs; }),
          scales: {x: {type: 'linear', title: {display: true, text: 'epoch'}, ticks: {stepSize: 1, precision: 0}},
            y: {title: {display: true, text: data.metric.label}}}}
      });
      charts.epochs.push(epochs);
    }
  });

  var gc = document.getElementById('gpu-chart');
  if (gc && data.gpu.datasets.length > 0) {
    var gpu;
    gpu = new Chart(gc, {
      type: 'bar',
      data: {labels: data.gpu.labels, datasets: data.gpu.datasets.map(function (d, j) {
        return {label: d.label, href: d.href, data: d.data, backgroundColor: colours[j % colours.length]};
      })},
      options: {animation: false, aspectRatio: 3, onClick: follow(function () { return gpu; }),
        scales: {x: {stacked: true, title: {display: true, text: 'day (UTC)'}},
          y: {stacked: true, beginAtZero: true, title: {display: true, text: 'GPU-hours'}}}}
    });
    charts.gpu = gpu;
  }
});
