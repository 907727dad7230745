// Stainbench page behaviour shared by every page. No build step: served as /js/stainbench.js.
(function () {
  // Send the CSRF token with every htmx request that changes something.
  document.addEventListener('htmx:configRequest', function (e) {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      e.detail.headers[header.content] = token.content;
    }
  });
  // <select data-autosubmit> and <input data-autosubmit> submit their form when changed (no inline handlers: the
  // Content-Security-Policy forbids them).
  document.addEventListener('change', function (e) {
    var t = e.target;
    if (t && t.hasAttribute && t.hasAttribute('data-autosubmit') && t.form) {
      t.form.submit();
    }
  });
  // An htmx poller with data-pause-while-open="ID" skips its request while the <details id="ID"> is open (htmx's own
  // trigger filters would need eval, which the Content-Security-Policy forbids).
  document.addEventListener('htmx:beforeRequest', function (e) {
    var elt = e.detail && e.detail.elt;
    var id = elt && elt.getAttribute && elt.getAttribute('data-pause-while-open');
    var box = id && document.getElementById(id);
    if (box && box.open) {
      e.preventDefault();
    }
  });
  // "/" focuses the search box (unless typing in a field); Escape closes its live results.
  document.addEventListener('keydown', function (e) {
    var box = document.getElementById('search-input');
    if (!box) { return; }
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      box.focus();
      box.select();
    } else if (e.key === 'Escape' && t === box) {
      document.getElementById('search-live').innerHTML = '';
    }
  });
  // Mark the current section in the navigation.
  document.addEventListener('DOMContentLoaded', function () {
    var path = window.location.pathname;
    document.querySelectorAll('#nav a[data-nav]').forEach(function (a) {
      var href = a.getAttribute('href');
      if ((href === '/' && path === '/') || (href !== '/' && path.indexOf(href) === 0)) {
        a.setAttribute('aria-current', 'page');
      }
    });
  });
})();
