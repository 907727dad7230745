// Confirmation pages: Escape goes back to #back-link.
document.addEventListener('keydown', function (e) {
  var back = document.getElementById('back-link');
  if (e.key === 'Escape' && back) { window.location.href = back.getAttribute('href'); }
});
