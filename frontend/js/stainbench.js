// Stainbench page behaviour shared by every page. No build step: served as /js/stainbench.js.
(function () {
  // The CSRF token of htmx requests that change something comes from the page itself: forms carry Thymeleaf's hidden
  // _csrf field, and hx:post (htmx-spring-boot's Thymeleaf dialect) adds it as an hx-headers header.
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
  // PDF downloads (a[data-pdf-download="<status element id>"], optionally data-pdf-progress="<progress id>"): start
  // the print (GET <href>/start), poll its status every half second and show the stage and a progress bar while the
  // server composes and prints (one report prints at a time, so this can wait), then fetch and save the file, or show
  // why there is none (busy, no Chromium). Without script the link prints in one request.
  function savePdf(r, state) {
    var name = /filename="?([^";]+)"?/.exec(r.headers.get('Content-Disposition') || '');
    return r.blob().then(function (b) {
      var url = URL.createObjectURL(b);
      var save = document.createElement('a');
      save.href = url;
      save.download = name ? name[1] : 'report.pdf';
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      state.textContent = 'PDF ready: ' + save.download;
    });
  }
  function pdfFailure(r, state) {
    return r.text().then(function (text) {
      var why = null;
      try { why = JSON.parse(text).message || JSON.parse(text).detail; } catch (ignored) { why = null; }
      if (!why) {
        var doc = new DOMParser().parseFromString(text, 'text/html');
        var el = doc.getElementById('pdf-failed');
        why = el ? el.textContent : null;
      }
      state.textContent = why || 'The PDF could not be made (HTTP ' + r.status + ').';
    });
  }
  document.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a[data-pdf-download]') : null;
    if (!a || !window.fetch || !window.URL || !URL.createObjectURL) { return; }
    var state = document.getElementById(a.getAttribute('data-pdf-download'));
    if (!state) { return; }
    var bar = document.getElementById(a.getAttribute('data-pdf-progress') || '');
    e.preventDefault();
    if (a.getAttribute('aria-busy') === 'true') { return; }
    a.setAttribute('aria-busy', 'true');
    state.hidden = false;
    state.textContent = 'Rendering the PDF… (reports print one at a time; the download starts when it is ready)';
    if (bar) { bar.hidden = false; bar.value = 0; }
    var base = a.href.replace(/[?#].*$/, '');
    function done() {
      a.removeAttribute('aria-busy');
      if (bar) { bar.hidden = true; }
    }
    function poll(status) {
      if (bar) { bar.value = status.percent; }
      if (status.failed) {
        state.textContent = status.message;
        return Promise.resolve();
      }
      if (status.ready) {
        return fetch(base + '/jobs/' + encodeURIComponent(status.token) + '/file', { credentials: 'same-origin' })
          .then(function (r) { return r.ok ? savePdf(r, state) : pdfFailure(r, state); });
      }
      state.textContent = status.message;
      return new Promise(function (resolve) { setTimeout(resolve, 500); }).then(function () {
        return fetch(base + '/jobs/' + encodeURIComponent(status.token), { credentials: 'same-origin' });
      }).then(function (r) {
        return r.ok ? r.json().then(poll) : pdfFailure(r, state);
      });
    }
    fetch(base + '/start', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } }).then(function (r) {
      return r.ok ? r.json().then(poll) : pdfFailure(r, state);
    }).catch(function () {
      state.textContent = 'The PDF could not be downloaded: the server did not answer.';
    }).then(done);
  });
  // Wide tables scroll inside a wrapper, never the page: every table of the main content that is not inside another
  // table (or already wrapped) goes into a <div class="table-scroll">, again after each htmx swap.
  function wrapTables(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var tables = Array.prototype.slice.call(scope.querySelectorAll('main table'));
    if (scope.tagName === 'TABLE') { tables.push(scope); }
    tables.forEach(function (t) {
      var parent = t.parentElement;
      if (!parent || parent.classList.contains('table-scroll') || (parent.closest && parent.closest('table'))
          || !t.closest('main') || /auto|scroll/.test(getComputedStyle(parent).overflowX)) { return; }
      var box = document.createElement('div');
      box.className = 'table-scroll';
      parent.insertBefore(box, t);
      box.appendChild(t);
    });
  }
  document.addEventListener('DOMContentLoaded', function () { wrapTables(document); });
  document.addEventListener('htmx:afterSettle', function () { wrapTables(document); });
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
