/* linkgraph report: click a column heading to sort its table (again to reverse). */
(function () {
  "use strict";
  function key(cell) {
    var text = cell.textContent.trim();
    var num = text.replace(/[,%\s]/g, "");
    return num !== "" && !isNaN(num) ? { n: parseFloat(num) } : { s: text };
  }
  function compare(a, b) {
    if (a.n !== undefined && b.n !== undefined) return a.n - b.n;
    if (a.n !== undefined) return -1;
    if (b.n !== undefined) return 1;
    return a.s.localeCompare(b.s, document.documentElement.lang);
  }
  function sort(th) {
    var table = th.closest("table"), body = table.tBodies[0];
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var up = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (r, i) { return { r: r, k: key(r.cells[col]), i: i }; });
    keyed.sort(function (a, b) { return (up ? 1 : -1) * compare(a.k, b.k) || a.i - b.i; });
    keyed.forEach(function (x) { body.appendChild(x.r); });
    Array.prototype.forEach.call(th.parentNode.children, function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", up ? "ascending" : "descending");
  }
  document.querySelectorAll("table.sortable thead th").forEach(function (th) {
    th.tabIndex = 0;
    th.addEventListener("click", function () { sort(th); });
    th.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(th); }
    });
  });
  document.body.setAttribute("data-sortable", "ready");
})();
