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
