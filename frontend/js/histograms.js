// Dataset page: one bar chart per tile measure, from the JSON in #histograms[data-histograms].
document.addEventListener('DOMContentLoaded', function () {
  var box = document.getElementById('histograms');
  if (!box) { return; }
  var data = JSON.parse(box.getAttribute('data-histograms'));
  data.forEach(function (h) {
    var fig = document.createElement('figure');
    var canvas = document.createElement('canvas');
    canvas.setAttribute('aria-label', h.name);
    fig.appendChild(canvas);
    box.appendChild(fig);
    new Chart(canvas, {
      type: 'bar',
      data: {labels: h.labels, datasets: [{label: h.name, data: h.counts, backgroundColor: '#8e5ea2'}]},
      options: {animation: false, plugins: {legend: {display: true},
        subtitle: {display: h.threshold !== null, text: h.threshold !== null ? 'threshold ' + h.threshold : ''}},
        scales: {y: {beginAtZero: true, title: {display: true, text: 'tiles'}}}}
    });
  });
});
