// Report chart blocks: every <canvas data-chart-kind> is drawn by Chart.js from the same definitions as the evaluation
// page (StainbenchCharts.config in charts.js), with the block's chart data (data-chart) and metric (data-chart-metric).
// On the page the blocks come back through htmx swaps, so undrawn canvases are drawn after every swap; a "PNG" link
// (a[data-png-of]) downloads its canvas as drawn. In the print document (html[data-print]) the charts get a fixed size
// at twice the resolution, and <html data-charts-ready="true"> tells the printer that every chart is drawn.
(function () {
  function drawAll() {
    var print = document.documentElement.hasAttribute('data-print');
    document.querySelectorAll('canvas[data-chart-kind]').forEach(function (canvas) {
      if (canvas.getAttribute('data-drawn') === 'true' || typeof Chart === 'undefined') { return; }
      var config = StainbenchCharts.config(canvas.getAttribute('data-chart-kind'),
        JSON.parse(canvas.getAttribute('data-chart')), canvas.getAttribute('data-chart-metric'), {print: print});
      if (config) {
        new Chart(canvas, config);
      }
      canvas.setAttribute('data-drawn', 'true');
    });
    var pending = document.querySelectorAll('canvas[data-chart-kind]:not([data-drawn=true])').length;
    document.documentElement.setAttribute('data-charts-ready', pending === 0 ? 'true' : 'false');
  }

  document.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a[data-png-of]') : null;
    if (!a) { return; }
    var canvas = document.getElementById(a.getAttribute('data-png-of'));
    if (canvas) { a.href = canvas.toDataURL('image/png'); }
  });

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', drawAll);
  } else {
    drawAll();
  }
  document.addEventListener('htmx:afterSettle', drawAll);
})();
