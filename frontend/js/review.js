// Review rating screen: keyboard answers, zoom. The form works without it (radio buttons and a submit button).
(function () {
  function form() { return document.getElementById('answer-form'); }
  function mode() { const r = document.getElementById('rater'); return r ? r.dataset.mode : null; }
  function submit() { const f = form(); if (f) { f.requestSubmit(); } }
  function pick(name, value) {
    const f = form();
    const box = f && f.querySelector('input[name="' + name + '"][value="' + value + '"]');
    if (box) { box.checked = true; }
    return !!box;
  }
  function checked(name) { const f = form(); return f && f.querySelector('input[name="' + name + '"]:checked'); }
  function go(id) { const a = document.getElementById(id); if (a) { a.click(); } }

  function likertNext() {
    const rows = Array.from(form().querySelectorAll('.criterion'));
    return rows.find(r => !r.querySelector('input:checked'));
  }
  function markCurrent() {
    if (mode() !== 'LIKERT' || !form()) { return; }
    form().querySelectorAll('.criterion').forEach(r => r.classList.remove('current'));
    const next = likertNext();
    if (next) { next.classList.add('current'); }
  }

  document.addEventListener('keydown', function (e) {
    // practice feedback: Enter, Space or ↓ goes on to the next practice item
    const practiceNext = document.getElementById('practice-next');
    if (practiceNext && !form() && !e.ctrlKey && !e.metaKey && !e.altKey
        && (e.key === 'Enter' || e.key === ' ' || e.key === 'ArrowDown')) { e.preventDefault(); practiceNext.click(); return; }
    if (!form() || e.ctrlKey || e.metaKey || e.altKey) { return; }
    const typing = e.target.matches && e.target.matches('input[type=number], input[type=text], textarea');
    if (typing) {
      if (e.key === 'Enter' && !e.shiftKey && e.target.tagName !== 'TEXTAREA') { e.preventDefault(); submit(); }
      return;
    }
    const m = mode();
    if (e.key === 'ArrowUp' || e.key === 'PageUp') { e.preventDefault(); go('prev'); return; }
    if (e.key === 'ArrowDown' || e.key === 'PageDown') { e.preventDefault(); go('next'); return; }
    if (m === 'TWO_AFC') {
      if (e.key === 'ArrowLeft' || e.key === '1') { e.preventDefault(); pick('choice', 'LEFT'); submit(); }
      else if (e.key === 'ArrowRight' || e.key === '2') { e.preventDefault(); pick('choice', 'RIGHT'); submit(); }
    } else if (m === 'REAL_OR_VIRTUAL') {
      let changed = false;
      if (e.key === 'ArrowLeft' || e.key === 'r' || e.key === 'R') { changed = pick('choice', 'REAL'); }
      else if (e.key === 'ArrowRight' || e.key === 'v' || e.key === 'V') { changed = pick('choice', 'VIRTUAL'); }
      else if (/^[1-5]$/.test(e.key)) { changed = pick('confidence', e.key); }
      if (changed) { e.preventDefault(); if (checked('choice') && checked('confidence')) { submit(); } }
    } else if (m === 'LIKERT') {
      if (/^[1-5]$/.test(e.key)) {
        const row = likertNext();
        if (row) { e.preventDefault(); row.querySelector('input[value="' + e.key + '"]').checked = true; markCurrent(); }
      } else if (e.key === 'Backspace') {
        const rows = Array.from(form().querySelectorAll('.criterion')).filter(r => r.querySelector('input:checked'));
        if (rows.length) { e.preventDefault(); rows[rows.length - 1].querySelectorAll('input').forEach(i => { i.checked = false; }); markCurrent(); }
      } else if (e.key === 'Enter') { e.preventDefault(); submit(); }
    } else if (m === 'MARKER') {
      const scores = ['NEGATIVE', 'WEAK', 'MODERATE', 'STRONG'];
      if (/^[1-4]$/.test(e.key)) {
        e.preventDefault(); pick('choice', scores[Number(e.key) - 1]);
        const fr = document.getElementById('fraction');
        if (fr) { fr.focus(); fr.select(); }
      } else if (e.key === 'Enter') { e.preventDefault(); submit(); }
    }
  });

  // zoom: click toggles 2.5x at the clicked point, the wheel zooms 1x–6x
  document.addEventListener('click', function (e) {
    const img = e.target.closest && e.target.closest('.zoom img');
    if (!img) { return; }
    const box = img.parentElement;
    const r = img.getBoundingClientRect();
    img.style.transformOrigin = ((e.clientX - r.left) / r.width * 100) + '% ' + ((e.clientY - r.top) / r.height * 100) + '%';
    const on = !box.classList.contains('zoomed');
    box.classList.toggle('zoomed', on);
    img.style.transform = on ? 'scale(2.5)' : '';
  });
  document.addEventListener('wheel', function (e) {
    const img = e.target.closest && e.target.closest('.zoom img');
    if (!img) { return; }
    e.preventDefault();
    const cur = Number((img.style.transform.match(/scale\(([\d.]+)\)/) || [0, 1])[1]);
    const next = Math.min(6, Math.max(1, cur * (e.deltaY < 0 ? 1.2 : 1 / 1.2)));
    const r = img.getBoundingClientRect();
    img.style.transformOrigin = ((e.clientX - r.left) / r.width * 100) + '% ' + ((e.clientY - r.top) / r.height * 100) + '%';
    img.style.transform = next > 1.01 ? 'scale(' + next + ')' : '';
    img.parentElement.classList.toggle('zoomed', next > 1.01);
  }, {passive: false});

  document.addEventListener('DOMContentLoaded', markCurrent);
  document.addEventListener('htmx:afterSwap', markCurrent);
  // a refused change of a final answer: the form shows the stored answer again
  document.addEventListener('htmx:afterSwap', function (e) {
    const f = form();
    if (e.detail && e.detail.target && e.detail.target.id === 'rater-error' && f && f.dataset.final === 'true') { f.reset(); }
  });
})();
