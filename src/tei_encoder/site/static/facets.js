// Facets of the index: within a facet any ticked value matches, across facets all must.
(function () {
  var form = document.getElementById("facets");
  var items = Array.prototype.slice.call(document.querySelectorAll(".edition-item"));
  var shown = document.getElementById("shown");
  function update() {
    var wanted = {};
    Array.prototype.forEach.call(form.querySelectorAll("input:checked"), function (box) {
      (wanted[box.name] = wanted[box.name] || []).push(box.value);
    });
    var count = 0;
    items.forEach(function (item) {
      var ok = Object.keys(wanted).every(function (facet) {
        var values = (item.getAttribute("data-" + facet) || "").split("|");
        return wanted[facet].some(function (v) { return values.indexOf(v) >= 0; });
      });
      item.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = count + " of " + items.length + " editions shown";
  }
  form.addEventListener("change", update);
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  update();
})();
