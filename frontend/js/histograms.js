// Dataset page: one bar chart per tile measure, from the JSON in #histograms[data-histograms], with the lab's
// threshold drawn as a dashed red line (and labelled) where a measure has one. Each bar is a bin; its label is the
// bin's start, so a threshold t sits at (t − start of the first bin) / bin width − ½ on the category axis.
document.addEventListener('DOMContentLoaded', function () {
  var box = document.getElementById('histograms');
  if (!box) { return; }
  var data = JSON.parse(box.getAttribute('data-histograms'));
  var THRESHOLD = StainbenchCharts.colour('chart-threshold');
  // where the threshold falls, in bins from the centre of the first one (null: none, or no bins to place it)
  function thresholdIndex(h) {
    if (h.threshold === null || h.threshold === undefined || h.labels.length < 2) { return null; }
    var lo = parseFloat(h.labels[0]);
    var width = parseFloat(h.labels[1]) - lo;
    return width > 0 ? (h.threshold - lo) / width - 0.5 : null;
  }
  function thresholdLine(threshold, at) {
    return {
      id: 'thresholdLine',
      afterDatasetsDraw: function (chart) {
        if (at === null || at === undefined) { return; }
        var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
        var i = Math.max(0, Math.min(chart.data.labels.length - 2, Math.floor(at)));
        var px = x.getPixelForValue(i) + (at - i) * (x.getPixelForValue(i + 1) - x.getPixelForValue(i));
        px = Math.max(area.left, Math.min(area.right, px));
        ctx.save();
        ctx.strokeStyle = THRESHOLD; ctx.lineWidth = 2; ctx.setLineDash([6, 4]);
        ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
        ctx.setLineDash([]); ctx.fillStyle = THRESHOLD; ctx.font = 'bold 12px sans-serif';
        var text = 'threshold ' + threshold;
        var w = ctx.measureText(text).width;
        ctx.fillText(text, px + 4 + w > area.right ? px - 4 - w : px + 4, area.top + 12);
        ctx.restore();
        chart.canvas.setAttribute('data-threshold-x', String(Math.round(px)));
      }
    };
  }
  data.forEach(function (h) {
    var fig = document.createElement('figure');
    var canvas = document.createElement('canvas');
    canvas.setAttribute('aria-label', h.name + (h.threshold !== null ? ' (threshold ' + h.threshold + ')' : ''));
    canvas.setAttribute('data-measure', h.name);
    fig.appendChild(canvas);
    box.appendChild(fig);
    new Chart(canvas, {
      type: 'bar',
      data: {labels: h.labels, datasets: [{label: h.name, data: h.counts, backgroundColor: StainbenchCharts.colour('chart-histogram')}]},
      plugins: [thresholdLine(h.threshold, thresholdIndex(h))],
      options: {animation: false, aspectRatio: 1.8,
        plugins: {legend: {display: false}, title: {display: true, text: h.name},
          subtitle: {display: h.threshold !== null, color: THRESHOLD,
            text: h.threshold !== null ? 'dashed line: threshold ' + h.threshold : ''}},
        scales: {x: {title: {display: true, text: 'bin start'}, ticks: {maxRotation: 0, autoSkip: true}},
          y: {beginAtZero: true, title: {display: true, text: 'tiles'}, ticks: {precision: 0}}}}
    });
  });
});
