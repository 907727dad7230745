// The run page's generated-tile scrubber: one frame per epoch (#scrubber-frames li: data-tiles = the tile ids of the
// generated tiles, in the order of the .scrubber-tile images). The slider picks the frame; the left and right arrow
// keys step it while the section or the slider has focus, or anywhere on the page outside a form field.
(function () {
  var section = document.getElementById('tile-scrubber');
  if (!section) { return; }
  var slider = document.getElementById('scrubber-epoch');
  var label = document.getElementById('scrubber-label');
  var link = document.getElementById('scrubber-checkpoint');
  var frames = Array.prototype.map.call(document.querySelectorAll('#scrubber-frames li'), function (li) {
    return {
      epoch: li.getAttribute('data-epoch'),
      label: li.getAttribute('data-label'),
      href: li.getAttribute('data-href'),
      tiles: li.getAttribute('data-tiles').split(',')
    };
  });
  var images = section.querySelectorAll('img.scrubber-tile');
  var thumb = function (id) { return '/tiles/' + encodeURIComponent(id) + '/thumb'; };
  // warm the cache so stepping shows each frame at once
  frames.forEach(function (f) { f.tiles.forEach(function (id) { new Image().src = thumb(id); }); });

  function show(i) {
    var n = frames.length;
    if (!n) { return; }
    i = Math.max(0, Math.min(n - 1, i));
    var f = frames[i];
    slider.value = String(i);
    slider.setAttribute('aria-valuetext', 'epoch ' + f.epoch);
    label.textContent = f.label;
    if (link) { link.href = f.href; }
    Array.prototype.forEach.call(images, function (img) {
      var slot = Number(img.getAttribute('data-slot'));
      img.src = thumb(f.tiles[slot]);
      img.alt = 'Generated tile ' + (slot + 1) + ', epoch ' + f.epoch;
    });
    section.setAttribute('data-frame', String(i));
  }

  slider.addEventListener('input', function () { show(Number(slider.value)); });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') { return; }
    var t = e.target;
    var onSlider = t === slider;
    var inField = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
    if (inField && !onSlider) { return; }
    e.preventDefault();
    show(Number(slider.value) + (e.key === 'ArrowLeft' ? -1 : 1));
  });
  section.setAttribute('data-frame', slider.value);
})();
