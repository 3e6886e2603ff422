// The export job page: follows the job through its JSON (same origin) once a second and
// updates the progress bar; once the job has finished, the page reloads to offer the file.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box || box.dataset.finished === "1") {
    return;
  }
  var bar = document.getElementById("export-progress");
  var text = document.getElementById("export-state");
  var lang = document.documentElement.lang || "nl";
  var number = new Intl.NumberFormat(lang);
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.finished) {
          window.location.reload();
          return;
        }
        if (state.rows_total) {
          bar.max = state.rows_total;
          bar.value = state.rows_written;
        }
        if (state.status === "bezig") {
          var line = number.format(state.rows_written) + " / " +
            (state.rows_total ? number.format(state.rows_total) : "?");
          if (state.seconds_left !== null) {
            line += " (~" + state.seconds_left + " s)";
          }
          text.textContent = line;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
