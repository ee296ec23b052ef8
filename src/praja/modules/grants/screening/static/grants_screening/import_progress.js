/*
 * Import report: while the background screening runs, ask the server for its status and update
 * the page in place, so the reader keeps their place (no full-page reload).
 *
 * The status line is a polite live region (role="status"); it is rewritten only when the status
 * changes (queued -> running -> done/failed), so a screen reader hears each step once, not every
 * percent. The progress bar and its figure are updated silently. Without JavaScript, or if the
 * status cannot be fetched, the page keeps its "Muat ulang sekarang" link.
 */
(function () {
  "use strict";

  var section = document.querySelector("section[data-status-url]");
  if (!section || !window.fetch || !window.JSON) {
    return;
  }
  var url = section.getAttribute("data-status-url");
  var delay = (parseInt(section.getAttribute("data-poll-seconds"), 10) || 3) * 1000;
  var statusText = section.querySelector("[data-screening-text]");
  var progressPart = section.querySelector("[data-screening-progress]");
  var progressBar = section.querySelector("progress");
  var percent = section.querySelector("[data-screening-percent]");
  var details = section.querySelector("[data-screening-details]");
  var failures = 0;

  var pollingNote = section.querySelector("[data-screening-polling]");
  if (pollingNote) {
    pollingNote.hidden = false;
  }

  function showProgress(value) {
    if (progressBar) {
      progressBar.value = value;
      progressBar.textContent = value + "%";
    }
    if (percent) {
      percent.textContent = value + "%";
    }
  }

  function show(state) {
    showProgress(state.progress);
    if (section.getAttribute("data-screening-status") !== state.status) {
      section.setAttribute("data-screening-status", state.status);
      statusText.innerHTML = state.status_html;
    }
    if (state.in_progress) {
      return true;
    }
    if (progressPart) {
      progressPart.parentNode.removeChild(progressPart);
    }
    details.innerHTML = state.details_html;
    section.removeAttribute("data-status-url");
    return false;
  }

  function poll() {
    window
      .fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        if (show(state)) {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // Signed out, offline or a server hiccup: try a few more times, slower, then leave the
        // "Muat ulang sekarang" link to the reader.
        failures += 1;
        if (failures < 5) {
          window.setTimeout(poll, delay * (failures + 1));
        } else if (pollingNote) {
          pollingNote.hidden = true;
        }
      });
  }

  window.setTimeout(poll, delay);
})();
