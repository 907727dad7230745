// Compare view: one tile index across the source and every chosen checkpoint. Thumbnails show first; the
// full-resolution image of a panel is fetched only once the panel is visible (IntersectionObserver), so hidden
// panels (single and overlay views) never download theirs. Zoom and pan are applied to every image at once.
(function () {
  'use strict';
  function init() {
    var viewer = document.getElementById('viewer');
    if (!viewer || viewer.dataset.ready) { return; }
    viewer.dataset.ready = '1';
    var stage = document.getElementById('compare');
    var panels = Array.prototype.slice.call(stage.querySelectorAll('.panel'));
    var base = stage.querySelector('.overlay-base');
    var top = stage.querySelector('.overlay-top');
    var clip = stage.querySelector('.overlay-clip');
    var selA = document.getElementById('overlay-a');
    var selB = document.getElementById('overlay-b');
    var slider = document.getElementById('overlay-slider');
    var scale = 1, tx = 0, ty = 0, focus = 0;
    var saved = {};
    try { saved = JSON.parse(sessionStorage.getItem('sb-compare') || '{}'); } catch (e) { saved = {}; }

    function applyTransform() {
      stage.querySelectorAll('img.zoomable').forEach(function (i) {
        i.style.transform = 'translate(' + tx + 'px,' + ty + 'px) scale(' + scale + ')';
      });
    }
    function full(img) {
      if (!img.dataset.full || img.dataset.loaded) { return; }
      img.dataset.loaded = 'pending';
      var f = new Image();
      f.onload = function () { img.src = f.src; img.dataset.loaded = 'yes'; img.classList.add('full'); };
      f.src = img.dataset.full;
    }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting && e.target.offsetParent !== null) { full(e.target); }
      });
    });
    panels.forEach(function (p) { io.observe(p.querySelector('img')); });

    function panelImg(i) { return panels[i].querySelector('img'); }
    function setOverlay() {
      var a = panelImg(+selA.value), b = panelImg(+selB.value);
      // the overlay shows full resolution of A and B only
      [[base, a], [top, b]].forEach(function (pair) {
        var target = pair[0], src = pair[1];
        target.src = src.dataset.loaded === 'yes' ? src.src : src.getAttribute('src');
        if (src.dataset.loaded !== 'yes') {
          var f = new Image();
          f.onload = function () { target.src = f.src; target.classList.add('full'); };
          f.src = src.dataset.full;
        }
      });
      clip.style.clipPath = 'inset(0 0 0 ' + slider.value + '%)';
    }
    function setView(v) {
      stage.dataset.view = v;
      stage.className = 'compare ' + v;
      // the active mode is marked (pressed) in the controls
      document.querySelectorAll('.compare-controls button[data-view]').forEach(function (b) {
        b.setAttribute('aria-pressed', b.dataset.view === v ? 'true' : 'false');
      });
      document.querySelectorAll('.overlay-only').forEach(function (el) { el.hidden = v !== 'overlay'; });
      if (v === 'overlay') { setOverlay(); }
      saved.view = v;
      save();
    }
    function setFocus(i) {
      focus = (i + panels.length) % panels.length;
      panels.forEach(function (p, j) { p.classList.toggle('focus', j === focus); });
      if (stage.dataset.view === 'overlay') { selB.value = String(focus); setOverlay(); }
      saved.focus = focus;
      save();
    }
    function save() { try { sessionStorage.setItem('sb-compare', JSON.stringify(saved)); } catch (e) { /* private mode */ } }

    stage.addEventListener('wheel', function (e) {
      e.preventDefault();
      scale = Math.max(1, Math.min(16, scale * (e.deltaY < 0 ? 1.25 : 0.8)));
      if (scale === 1) { tx = 0; ty = 0; }
      applyTransform();
    }, { passive: false });
    var drag = null;
    stage.addEventListener('mousedown', function (e) { drag = { x: e.clientX - tx, y: e.clientY - ty }; e.preventDefault(); });
    window.addEventListener('mouseup', function () { drag = null; });
    window.addEventListener('mousemove', function (e) {
      if (!drag) { return; }
      tx = e.clientX - drag.x; ty = e.clientY - drag.y;
      applyTransform();
    });
    document.querySelectorAll('[data-view]').forEach(function (b) {
      if (b.tagName === 'BUTTON') { b.addEventListener('click', function () { setView(b.dataset.view); }); }
    });
    panels.forEach(function (p, j) { p.addEventListener('dblclick', function () { setFocus(j); setView('single'); }); });
    selA.addEventListener('change', setOverlay);
    selB.addEventListener('change', setOverlay);
    slider.addEventListener('input', function () { clip.style.clipPath = 'inset(0 0 0 ' + slider.value + '%)'; });
    document.addEventListener('keydown', function onKey(e) {
      if (!document.body.contains(viewer)) { document.removeEventListener('keydown', onKey); return; }
      if (e.target && /INPUT|SELECT|TEXTAREA/.test(e.target.tagName) && e.target.type !== 'range') { return; }
      var k = e.key;
      if (k === 'ArrowRight' || k === 'n') { window.location.href = viewer.dataset.next; }
      else if (k === 'ArrowLeft' || k === 'p') { window.location.href = viewer.dataset.previous; }
      else if (k === 'ArrowDown' || k === 'c') { setFocus(focus + 1); }
      else if (k === 'ArrowUp') { setFocus(focus - 1); }
      else if (k === 'g') { setView('grid'); }
      else if (k === 's') { setView('single'); }
      else if (k === 'o') { setView('overlay'); }
      else if (k === '0') { scale = 1; tx = 0; ty = 0; applyTransform(); }
      else { return; }
      e.preventDefault();
    });
    setFocus(Math.min(saved.focus || 0, panels.length - 1));
    setView(saved.view || 'grid');
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
  document.addEventListener('htmx:afterSettle', init);
})();
