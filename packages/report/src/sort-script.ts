/**
 * The page's only script: sorting the comparison table. The headers are <button>s, so the
 * keyboard (Tab, then Enter or Space) sorts exactly like a click, and aria-sort tells screen
 * readers the order. The Content-Security-Policy allows this script by its hash, nothing else.
 */
import { createHash } from 'node:crypto';

/** Source of the inline script (kept ES2017 and dependency-free: it runs in any browser). */
export const SORT_SCRIPT = `
(function () {
  var tables = document.querySelectorAll('table.sortable');
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.querySelectorAll('thead th[data-col]');
    Array.prototype.forEach.call(heads, function (th) {
      var button = th.querySelector('button');
      button.addEventListener('click', function () {
        var col = Number(th.getAttribute('data-col'));
        var numeric = th.getAttribute('data-type') === 'num';
        // First click: the best value first (ascending when lower is better); then toggle.
        var current = th.getAttribute('aria-sort');
        var ascending = current === 'none' || current === null ? th.getAttribute('data-first') !== 'descending' : current !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var cell = row.cells[col];
          var v = cell.getAttribute('data-sort');
          if (v === null) v = cell.textContent.trim();
          return v;
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          // Missing values go last whatever the direction.
          if (x === '' || y === '') return (x === '') - (y === '');
          var c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
`;

/** The CSP source expression that allows exactly SORT_SCRIPT. */
export const SORT_SCRIPT_HASH = `'sha256-${createHash('sha256').update(SORT_SCRIPT).digest('base64')}'`;
