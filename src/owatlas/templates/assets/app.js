// Filter and sort the models table. Works from file:// and needs nothing else.
(function () {
  var table = document.getElementById("models");
  var search = document.getElementById("search");
  var count = document.getElementById("count");
  if (!table || !search) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);

  function filter() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-search");
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = shown + (shown === 1 ? " model" : " models");
  }

  function sortBy(header, index) {
    var type = header.querySelector("button").getAttribute("data-type");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.setAttribute("aria-sort", "none"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = a.cells[index].getAttribute("data-value"), y = b.cells[index].getAttribute("data-value");
      if (type === "number") {
        x = x === "" ? -1 : Number(x); y = y === "" ? -1 : Number(y);
        return ascending ? x - y : y - x;
      }
      return ascending ? x.localeCompare(y) : y.localeCompare(x);
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  search.addEventListener("input", filter);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
    header.querySelector("button").addEventListener("click", function () { sortBy(header, index); });
  });
})();
