// The charts' shared definitions (window.StainbenchCharts), loaded by every page and evaluated into the report's print
// document before it is printed:
// - the palette: colours come from the CSS custom properties of stainbench.css (--sb-*), read from the computed style,
//   so a colour is defined once, there;
// - the comparison charts: one function per chart kind building the Chart.js configuration from the chart data the
//   server writes (labels, metrics[{key, label, mean, seeds}], runs[{run, name, epochs, values}]). The evaluation page
//   and the report blocks (page and PDF) both draw with config(kind, …), so they show the same chart.
(function () {
  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  // the colour named --sb-<name>
  function colour(name) {
    return css('--sb-' + name);
  }

  // the i-th colour of the series palette (--sb-series-1 …), cycling
  function series(i) {
    var all = [];
    for (var k = 1; k <= 12; k++) {
      var c = css('--sb-series-' + k);
      if (!c) { break; }
      all.push(c);
    }
    return all.length === 0 ? '' : all[i % all.length];
  }

  // a palette colour (#rrggbb) with an opacity
  function alpha(c, a) {
    var m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c || '');
    if (!m) { return c; }
    return 'rgba(' + parseInt(m[1], 16) + ',' + parseInt(m[2], 16) + ',' + parseInt(m[3], 16) + ',' + a + ')';
  }

  function metric(data, key) {
    return data.metrics.find(function (x) { return x.key === key; }) || data.metrics[0] || null;
  }

  // the metric per compared thing: the mean as a bar, every seed's value as a point
  function bar(data, key, opts) {
    var m = metric(data, key);
    if (!m) { return null; }
    var maxSeeds = m.seeds.reduce(function (a, s) { return Math.max(a, s.length); }, 0);
    var datasets = [{type: 'bar', label: m.label + ' (mean over seeds)', data: m.mean,
      backgroundColor: alpha(colour('chart-bar'), 0.35), borderColor: colour('chart-bar'), borderWidth: 1}];
    for (var i = 0; i < maxSeeds; i++) {
      datasets.push({type: 'line', label: i === 0 ? 'per-seed values' : 'seed #' + i, showLine: false, pointRadius: 4,
        borderColor: colour('chart-seed'), backgroundColor: colour('chart-seed'),
        data: m.seeds.map(function (s) { return s.length > i ? s[i] : null; })});
    }
    return {
      data: {labels: data.labels, datasets: datasets},
      options: common(opts, {
        plugins: {legend: {labels: {filter: function (item) { return item.datasetIndex < 2; }}}},
        scales: {y: {beginAtZero: true, title: {display: true, text: m.label + ' (lower is better)'}}}
      })
    };
  }

  // the metric by epoch, one line per training run (null when no compared thing carries a run and an epoch)
  function epoch(data, key, opts) {
    var m = metric(data, key);
    if (!m || !data.runs || data.runs.length === 0) { return null; }
    return {
      type: 'line',
      data: {datasets: data.runs.map(function (r, j) {
        return {label: r.name || r.run.substring(0, 8), borderColor: series(j), backgroundColor: series(j),
          data: r.epochs.map(function (e, k) { return {x: e, y: (r.values[m.key] || [])[k]}; })};
      })},
      options: common(opts, {
        scales: {x: {type: 'linear', title: {display: true, text: 'epoch'}, ticks: {stepSize: 1, precision: 0}},
          y: {title: {display: true, text: m.label}}}
      })
    };
  }

  // options every comparison chart shares; opts.print: a fixed size at twice the resolution (the print document)
  function common(opts, o) {
    o.animation = false;
    if (opts && opts.print) {
      o.responsive = false;
      o.devicePixelRatio = 2;
    }
    if (opts && opts.title) {
      o.plugins = o.plugins || {};
      o.plugins.title = {display: true, text: opts.title};
    }
    return o;
  }

  function config(kind, data, key, opts) {
    return kind === 'epoch' ? epoch(data, key, opts) : bar(data, key, opts);
  }

  window.StainbenchCharts = {colour: colour, series: series, alpha: alpha, metric: metric, config: config};
})();
