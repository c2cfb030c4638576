// Unsaved-changes guard: leaving a page warns while a form field inside an element marked
// `data-unsaved-guard` holds typed text that is not saved yet. A field counts as saved when
// its form is submitted, or when its own htmx autosave succeeds with the value it has now.
(function () {
  "use strict";
  const dirty = new Set();

  function guarded(el) {
    return el && el.form && el.closest("[data-unsaved-guard]") !== null;
  }

  document.addEventListener("input", function (event) {
    if (guarded(event.target)) dirty.add(event.target);
  });
  document.addEventListener("change", function (event) {
    // text fields are dirty from their input events; a blur's change adds nothing
    const el = event.target;
    if (guarded(el) && /^(radio|checkbox|select-one|select-multiple)$/.test(el.type)) {
      dirty.add(el);
    }
  });
  document.addEventListener("submit", function (event) {
    dirty.forEach(function (el) {
      if (el.form === event.target) dirty.delete(el);
    });
  });
  document.addEventListener("htmx:configRequest", function (event) {
    const el = event.detail.elt;
    if (el && "value" in el) el.dataset.sentValue = el.value;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    const el = event.detail.elt;
    if (!el || !event.detail.successful) return;
    if (el.dataset.sentValue === el.value) dirty.delete(el);
    if (el.tagName === "FORM") {
      dirty.forEach(function (field) {
        if (field.form === el) dirty.delete(field);
      });
    }
  });
  document.addEventListener("htmx:beforeSwap", function () {
    // a swapped-out field (e.g. "keep theirs") is no longer on the page
    dirty.forEach(function (el) {
      if (!el.isConnected) dirty.delete(el);
    });
  });
  window.addEventListener("beforeunload", function (event) {
    dirty.forEach(function (el) {
      if (!el.isConnected) dirty.delete(el);
    });
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.hakariUnsaved = {
    count: function () { return dirty.size; },
    names: function () { return Array.from(dirty, function (el) { return el.name; }); },
  };
})();
