// Forms with problems (templates/fragments/form-errors.html): the list at the top takes the focus when the page loads,
// so it is seen and read out; a link in it moves the focus to its field. Fields with a problem are marked invalid.
(function () {
  function focusSummary() {
    var box = document.querySelector('[data-focus-on-load]');
    if (!box) { return; }
    box.scrollIntoView({block: 'start'});
    box.focus({preventScroll: true});
  }
  function markFields(root) {
    root.querySelectorAll('.field-error').forEach(function (e) {
      var name = e.id.replace(/^f-/, '').replace(/-error$/, '');
      var field = document.getElementById('f-' + name);
      if (field) {
        field.setAttribute('aria-invalid', 'true');
        field.setAttribute('aria-describedby', e.id);
      }
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    markFields(document);
    focusSummary();
  });
  document.addEventListener('click', function (ev) {
    var a = ev.target.closest('a.to-field');
    if (!a) { return; }
    var field = document.getElementById(a.getAttribute('href').substring(1));
    if (field) {
      ev.preventDefault();
      field.scrollIntoView({block: 'center'});
      field.focus();
    }
  });
}());
