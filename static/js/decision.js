// The decision form: the good and bad consequences belong to the chosen option. When the
// choice changes, text still as the catalog pre-filled it (or empty) is replaced by the new
// option's; text the reviewer typed is only replaced after they say so. Without JavaScript the
// server does the same on save (reviews.services.decisions.chosen_consequences).
(function () {
  "use strict";
  var data = document.getElementById("consequence-prefills");
  var form = data && document.querySelector("main form input[name=pattern]");
  if (!data || !form) {
    return;
  }
  form = form.form;
  var prefills = JSON.parse(data.dataset.prefills);
  var fields = {
    good: form.querySelector("textarea[name=consequences_good]"),
    bad: form.querySelector("textarea[name=consequences_bad]")
  };
  var warning = document.getElementById("consequences-warning");
  var warningText = document.getElementById("consequences-warning-text");
  var pending = null;

  function normalize(text) {
    return (text || "").replace(/\r\n/g, "\n").trim();
  }
  function checked() {
    var input = form.querySelector("input[name=pattern]:checked");
    return input ? input.value : null;
  }
  function nameOf(pattern) {
    var input = form.querySelector("input[name=pattern][value='" + pattern + "']");
    var label = input && form.querySelector("label[for='" + input.id + "']");
    return label ? label.textContent.replace(/^\s*\d+\.\s*/, "").replace(/\s*\(.*$/, "").trim() : pattern;
  }
  // Is this text one the catalog wrote (for any option), or empty?
  function untouched(kind, text) {
    var value = normalize(text);
    if (!value) {
      return true;
    }
    return Object.keys(prefills).some(function (key) {
      return normalize(prefills[key][kind]) === value;
    });
  }
  function fill(pattern) {
    var texts = prefills[pattern] || { good: "", bad: "" };
    fields.good.value = texts.good;
    fields.bad.value = texts.bad;
    fields.good.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function hideWarning() {
    warning.classList.add("d-none");
    pending = null;
  }

  form.addEventListener("change", function (event) {
    if (event.target.name !== "pattern") {
      return;
    }
    var pattern = checked();
    if (untouched("good", fields.good.value) && untouched("bad", fields.bad.value)) {
      fill(pattern);
      hideWarning();
      return;
    }
    pending = pattern;
    warningText.textContent = warningText.dataset.template.replace("%(name)s", nameOf(pattern));
    warning.classList.remove("d-none");
  });
  document.getElementById("consequences-replace").addEventListener("click", function () {
    if (pending) {
      fill(pending);
    }
    hideWarning();
    fields.good.focus();
  });
  document.getElementById("consequences-keep").addEventListener("click", hideWarning);
})();
