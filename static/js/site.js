// Progressive enhancement for the pack chooser: the form works without this.
(function () {
  "use strict";
  var form = document.querySelector("[data-variant-form]");
  var dataNode = document.getElementById("variant-data");
  if (!form || !dataNode) return;
  var variants = JSON.parse(dataNode.textContent);
  var panel = form.querySelector("[data-selected-price]");
  var breakdown = form.querySelector("[data-price-breakdown]");
  form.querySelectorAll("[data-nojs-only]").forEach(function (el) { el.hidden = true; });

  function checked(name) {
    var el = form.querySelector('input[name="' + name + '"]:checked');
    return el ? el.value : null;
  }

  function update() {
    var strength = checked("strength");
    // Grey out pack sizes not sold in the chosen strength.
    form.querySelectorAll('input[name="pack"]').forEach(function (input) {
      var v = variants[strength + "-" + input.value];
      input.disabled = !v;
      input.closest("label").classList.toggle("is-disabled", !v);
    });
    var v = variants[strength + "-" + checked("pack")];
    if (!panel || !v) return;
    [panel, breakdown].forEach(function (box) {
      if (!box) return;
      box.querySelectorAll("[data-field]").forEach(function (el) {
        el.textContent = v[el.getAttribute("data-field")];
      });
    });
    if (breakdown) breakdown.hidden = !v.breakdown;
    document.querySelectorAll("[data-variant]").forEach(function (cell) {
      cell.classList.toggle("is-selected", cell.getAttribute("data-variant") === strength + "-" + checked("pack"));
    });
  }

  form.addEventListener("change", update);
  update();
})();

// A form marked data-once submits once: a double click places one order.
document.querySelectorAll("form[data-once]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
  });
});

// The prescription step: show only the fields of the option chosen. Without
// this script both stay visible under their own headings.
document.querySelectorAll("form[data-rx-choice]").forEach(function (form) {
  var sections = form.querySelectorAll("[data-rx-option]");
  function update() {
    var chosen = form.querySelector('input[name="source"]:checked');
    sections.forEach(function (section) {
      section.hidden = !!chosen && section.getAttribute("data-rx-option") !== chosen.value;
    });
  }
  form.addEventListener("change", update);
  update();
});
