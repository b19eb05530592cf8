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
    var after = data.get('after');
    var before = data.get('before');
    var start = row.getAttribute('data-date');
    var end = row.getAttribute('data-end');
    if (after && end.slice(0, 4) < after) { return false; }  // undated: kept if its range overlaps
    if (before && start.slice(0, 4) > before) { return false; }
    return true;
  }

  function value(row, key) {
    if (key === 'date') { return row.getAttribute('data-date') + ' ' + row.getAttribute('data-title'); }
    var cell = row.cells[Array.prototype.indexOf.call(table.tHead.rows[0].cells,
      table.querySelector('th[data-key="' + key + '"]'))];
    return cell.textContent.trim().toLowerCase();
  }

  function update() {
    var data = new FormData(form);
    var shown = 0;
    var sorted = rows.slice().sort(function (a, b) {
      var x = value(a, sortKey), y = value(b, sortKey);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    sorted.forEach(function (row) {
      row.hidden = !matches(row, data);
      if (!row.hidden) { shown++; }
      body.appendChild(row);
    });
    var label = table.querySelector('th[data-key="' + sortKey + '"]').textContent.trim().toLowerCase();
    count.textContent = shown + ' of ' + rows.length + ' letters, by ' + label +
      (ascending ? '' : ' (descending)') + '.';
  }

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
  form.addEventListener('reset', function () { setTimeout(update, 0); });
  form.hidden = false;
  update();
}());
