/* Filter for the all-services page (services/): a text box and a category
 * menu that hide the table's rows in the browser, with no server and no
 * third-party code. The page lists every service in its HTML, so it works
 * without JavaScript; the controls exist only when this script runs.
 *
 * Fast with thousands of rows: each row's text is read once, a keystroke
 * only compares strings and toggles the rows whose state changes, at most
 * once per animation frame. Material's instant navigation swaps pages
 * without reloading scripts, so the setup runs on each page it loads
 * (`document$`) and only where the page has a `[data-catalog-filter]` box.
 */
(function () {
  "use strict";

  function setup() {
    var box = document.querySelector("[data-catalog-filter]");
    if (!box || box.hasAttribute("data-catalog-filter-ready")) {
      return;
    }
    box.setAttribute("data-catalog-filter-ready", "");
    var rows = Array.prototype.slice.call(box.querySelectorAll("tbody tr"));
    var texts = rows.map(function (row) {
      return row.textContent.toLowerCase();
    });
    var categories = [];
    var labels = {};
    rows.forEach(function (row) {
      var slug = row.getAttribute("data-category");
      if (slug && !(slug in labels)) {
        labels[slug] = row.cells[1] ? row.cells[1].textContent.trim() : slug;
        categories.push(slug);
      }
    });

    var form = document.createElement("form");
    form.className = "catalog-filter__controls";
    form.setAttribute("role", "search");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    var input = document.createElement("input");
    input.type = "search";
    input.className = "catalog-filter__text";
    input.placeholder = "Filter by name or summary";
    input.setAttribute("aria-label", "Filter services by name or summary");
    input.autocomplete = "off";
    var select = document.createElement("select");
    select.className = "catalog-filter__category";
    select.setAttribute("aria-label", "Filter services by category");
    select.appendChild(new Option("All categories", ""));
    categories.forEach(function (slug) {
      select.appendChild(new Option(labels[slug], slug));
    });
    var status = document.createElement("p");
    status.className = "catalog-filter__count";
    status.setAttribute("aria-live", "polite");
    form.appendChild(input);
    form.appendChild(select);
    box.insertBefore(form, box.firstChild);
    box.insertBefore(status, form.nextSibling);

    var frame = 0;
    function apply() {
      frame = 0;
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var category = select.value;
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var match = !category || rows[i].getAttribute("data-category") === category;
        for (var w = 0; match && w < words.length; w++) {
          match = texts[i].indexOf(words[w]) !== -1;
        }
        if (rows[i].hidden === match) {
          rows[i].hidden = !match;
        }
        if (match) {
          shown++;
        }
      }
      var total = rows.length + (rows.length === 1 ? " service" : " services");
      status.textContent =
        shown === rows.length
          ? total
          : shown === 0
            ? "No service matches (of " + total + ")."
            : shown + " of " + total;
    }
    function schedule() {
      if (!frame) {
        frame = window.requestAnimationFrame(apply);
      }
    }
    input.addEventListener("input", schedule);
    select.addEventListener("change", schedule);
    apply();
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(setup);
  } else {
    document.addEventListener("DOMContentLoaded", setup);
  }
})();
