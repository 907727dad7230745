// Tile view: the left and right arrow keys open the previous and next tile.
document.addEventListener('keydown', function (e) {
  if (e.target && (e.target.tagName === 'INPUT' || e.target.tagName === 'TEXTAREA')) { return; }
  var id = e.key === 'ArrowLeft' ? 'previous-tile' : (e.key === 'ArrowRight' ? 'next-tile' : null);
  var a = id && document.getElementById(id);
  if (a) { window.location.href = a.href; }
});
