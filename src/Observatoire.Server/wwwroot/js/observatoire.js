// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";
  var numberFormat = new Intl.NumberFormat("fr-FR");

  // Breakdown tables: row and column totals recomputed as one types.
  function parse(input) {
    var v = input.value.replace(/\s/g, "");
    return /^\d+$/.test(v) ? parseInt(v, 10) : 0;
  }
  function refreshTable(table) {
    table.querySelectorAll("[data-sum-row]").forEach(function (cell) {
      var total = 0;
      table.querySelectorAll('input[data-row="' + cell.dataset.sumRow + '"]').forEach(function (i) { total += parse(i); });
      cell.textContent = numberFormat.format(total);
    });
    table.querySelectorAll("[data-sum-col]").forEach(function (cell) {
      var total = 0;
      var selector = cell.dataset.sumCol === "*" ? "input[data-row]" : 'input[data-col="' + cell.dataset.sumCol + '"]';
      table.querySelectorAll(selector).forEach(function (i) { total += parse(i); });
      cell.textContent = numberFormat.format(total);
    });
  }
  document.querySelectorAll("table.obs-grid-table").forEach(function (table) {
    table.addEventListener("input", function () { refreshTable(table); });
  });

  // Map: the department's value beside the pointer or the focused shape.
  document.querySelectorAll(".obs-map-wrap").forEach(function (wrap) {
    var tip = wrap.querySelector(".obs-tooltip");
    if (!tip) { return; }
    function show(shape, x, y) {
      tip.textContent = shape.getAttribute("aria-label");
      tip.hidden = false;
      tip.style.left = x + "px";
      tip.style.top = y + "px";
    }
    wrap.querySelectorAll("path.obs-dept").forEach(function (shape) {
      shape.addEventListener("mousemove", function (e) {
        var r = wrap.getBoundingClientRect();
        show(shape, e.clientX - r.left + 12, e.clientY - r.top + 12);
      });
      shape.addEventListener("focus", function () {
        var r = wrap.getBoundingClientRect(), b = shape.getBoundingClientRect();
        show(shape, b.right - r.left, b.top - r.top);
      });
      shape.addEventListener("mouseleave", function () { tip.hidden = true; });
      shape.addEventListener("blur", function () { tip.hidden = true; });
    });
  });
})();

// Grid form: a draft kept in this browser, so nothing typed is lost if the tab closes before sending.
(function () {
  "use strict";
  var storage;
  try { storage = window.localStorage; } catch (e) { return; }
  var prefix = "observatoire:brouillon:";
  document.querySelectorAll("[data-draft-clear]").forEach(function (el) {
    storage.removeItem(prefix + el.dataset.draftClear);
  });
  var form = document.querySelector("form[data-draft]");
  if (!form) { return; }
  var key = prefix + form.dataset.draft;
  var fields = form.querySelectorAll("input[name^='v:'], textarea[name='commentaire']");
  var saved = storage.getItem(key);
  var empty = Array.prototype.every.call(fields, function (f) { return f.value === ""; });
  if (saved && empty) {
    try {
      var values = JSON.parse(saved);
      fields.forEach(function (f) { if (typeof values[f.name] === "string") { f.value = values[f.name]; } });
      var notice = document.querySelector("[data-draft-notice]");
      if (notice) { notice.hidden = false; }
      form.dispatchEvent(new Event("input", { bubbles: true }));
      document.querySelectorAll("table.obs-grid-table").forEach(function (t) { t.dispatchEvent(new Event("input")); });
    } catch (e) { storage.removeItem(key); }
  }
  form.addEventListener("input", function () {
    var values = {};
    fields.forEach(function (f) { if (f.value !== "") { values[f.name] = f.value; } });
    storage.setItem(key, JSON.stringify(values));
  });
})();
