// reportgen: a warning before leaving a form with unsaved changes. No inline scripts (CSP).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-warn-unsaved]");
  if (!form) return;
  var dirty = false;
  var note = document.getElementById("unsaved");
  form.addEventListener("input", function () { dirty = true; if (note) note.hidden = false; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });
});
// A refused change (409: the case is under review) comes back as the redrawn part with the
// reason in it; show it instead of dropping it as an error.
document.addEventListener("htmx:beforeSwap", function (e) {
  if (e.detail.xhr && e.detail.xhr.status === 409) { e.detail.shouldSwap = true; e.detail.isError = false; }
});
// A date field's chosen date in Danish words beside it ("mandag den 17. juni 2030"),
// whatever the browser's own language is.
document.addEventListener("DOMContentLoaded", function () {
  var words = new Intl.DateTimeFormat("da-DK", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  document.querySelectorAll("[data-date-of]").forEach(function (out) {
    var input = document.getElementById(out.getAttribute("data-date-of"));
    if (!input) return;
    input.addEventListener("input", function () {
      var d = input.valueAsDate;
      out.textContent = d ? words.format(d) : "";
    });
  });
});
