// Ticking work without reloading the page: the form still works without this script
// (the server then returns to the item's anchor, which says what happened). With it, the
// button changes in place, keeps the focus, and the item's status line is announced.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-homework-tick")) return;
    if (!window.fetch || !window.FormData) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var state = form.querySelector("input[name=done]");
    var item = form.closest(".work__item");
    var status = item ? item.querySelector(".work__status") : null;
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (data) {
      if (button) {
        var hidden = button.querySelector(".visually-hidden");
        button.textContent = data.label;
        if (hidden) button.appendChild(hidden);
        button.setAttribute("aria-pressed", data.done ? "true" : "false");
      }
      if (state) state.value = data.done ? "0" : "1";
      if (item) item.classList.toggle("work__item--done", data.done);
      if (status) status.textContent = data.message;
    }).catch(function () {
      form.submit();  // fall back to the page's own round trip
    }).finally(function () {
      if (button) { button.disabled = false; button.focus(); }
    });
  });
})();
