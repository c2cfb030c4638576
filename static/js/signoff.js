// The sign form: while the signature is being added, say so and keep the button from being
// pressed twice. (No inline script: the page's CSP forbids it.)
(function () {
  "use strict";
  document.querySelectorAll("form[data-signing]").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (form.classList.contains("is-signing")) {
        return;
      }
      form.classList.add("is-signing");
      form.setAttribute("aria-busy", "true");
      var state = document.getElementById("signing-state");
      if (state) {
        form.appendChild(state);
      }
      form.querySelectorAll("input[type=submit], button[type=submit]").forEach(function (button) {
        // disabled after the submit event, so the button's name is still sent
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
})();
