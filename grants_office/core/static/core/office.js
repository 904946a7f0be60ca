/* The few behaviours htmx does not give: focus after a swap, and a message when a request fails.
   No inline script anywhere (Content-Security-Policy: script-src 'self'). */
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("messages");
    if (!region) return;
    var p = document.createElement("p");
    p.className = "message message--error";
    p.textContent = text;
    region.replaceChildren(p);
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    // Keyboard and screen-reader users land on what just appeared (e.g. the transitions panel).
    var target = event.detail.target;
    if (!target) return;
    var focusable = target.querySelector("[data-autofocus]");
    if (focusable) {
      focusable.focus();
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var body = document.body;
    announce((body && body.dataset.errorMessage ? body.dataset.errorMessage : "Error") + " (" + status + ")");
  });

  document.addEventListener("htmx:sendError", function () {
    var body = document.body;
    announce(body && body.dataset.offlineMessage ? body.dataset.offlineMessage : "Network error");
  });
})();
