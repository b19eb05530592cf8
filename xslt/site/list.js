// The list of letters: filter by correspondent, place, status and years; sort by any column.
// Without JavaScript the table is complete and in date order; this only narrows and reorders.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  var table = document.getElementById('letters');
  var count = document.getElementById('count');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var sortKey = 'date';
  var ascending = true;

  function matches(row, data) {
    var tokens = function (name) { return (row.getAttribute('data-' + name) || '').split(' '); };
    var keys = ['from', 'to', 'place', 'status'];
    for (var i = 0; i < keys.length; i++) {
      var wanted = data.get(keys[i]);
      if (wanted && tokens(keys[i]).indexOf(wanted) < 0) { return false; }
    }
    var on = data.get('on');  // a date of any precision: 1985, 1985-03, 1985-03-24
    if (on && !(row.getAttribute('data-date').slice(0, on.length) <= on &&
                row.getAttribute('data-end').slice(0, on.length) >= on)) { return false; }
    var after = data.get('after');
    var before = data.get('before');
    var start = row.getAttribute('data-date');
    var end = row.getAttribute('data-end');
    if (after && end.slice(0, 4) < after) { return false; }  // undated: kept if its range overlaps
    if (before && start.slice(0, 4) > before) { return false; }
    return true;
  }

  function column(key) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    return heads.indexOf(table.querySelector('th[data-key="' + key + '"]'));
  }

  function update() {
    var data = new FormData(form);
    var index = column(sortKey);
    var keyed = rows.map(function (row) {
      var value = sortKey === 'date'
        ? row.getAttribute('data-date') + ' ' + row.getAttribute('data-title')
        : row.cells[index].textContent.trim().toLowerCase();
      return [value, row];
    });
    keyed.sort(function (a, b) {
      return (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) * (ascending ? 1 : -1);
    });
    var shown = 0;
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (pair) {
      var row = pair[1];
      row.hidden = !matches(row, data);
      if (!row.hidden) { shown++; }
      fragment.appendChild(row);
    });
    body.appendChild(fragment);
    var label = table.tHead.rows[0].cells[index].textContent.trim().toLowerCase();
    count.textContent = shown + ' of ' + rows.length + ' letters, by ' + label +
      (ascending ? '' : ' (descending)') + '.';
    var query = new URLSearchParams();
    data.forEach(function (value, name) { if (value) { query.set(name, value); } });
    if (location.protocol !== 'file:') {  // a filtered list has an address to share
      history.replaceState(null, '', query.toString() ? '?' + query : location.pathname);
    }
  }

  // letters.html?from=gorbachev&after=1985 opens the list already filtered
  new URLSearchParams(location.search).forEach(function (value, name) {
    if (form.elements[name]) { form.elements[name].value = value; }
  });

  table.querySelectorAll('th[data-key]').forEach(function (th) {
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = th.textContent;
    th.textContent = '';
    th.appendChild(button);
    button.addEventListener('click', function () {
      ascending = sortKey === th.getAttribute('data-key') ? !ascending : true;
      sortKey = th.getAttribute('data-key');
      table.querySelectorAll('th[data-key]').forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      update();
    });
  });
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('reset', function () { window.setTimeout(update, 0); });
  form.hidden = false;
  update();
}());
