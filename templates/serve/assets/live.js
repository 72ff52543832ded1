// jmb serve: refresh the open page when a file it shows is saved. The server sends a "change" event
// naming the record files that changed (or "all" for the configuration, the roster and the
// templates); the page reloads when it shows one of them. Served from jmb serve itself: its pages
// allow no inline script and nothing from elsewhere.
(function () {
  "use strict";
  var body = document.body;
  var watch = body.getAttribute("data-watch") || "*";
  var version = body.getAttribute("data-version") || "";
  var source = new EventSource("/events");

  function concerns(change) {
    return change.all || watch === "*" || change.records.indexOf(watch) >= 0;
  }

  // The first message says what the repository is now: a page made before a change it has not
  // been told of (made, then saved, then connected) reloads at once.
  source.addEventListener("hello", function (event) {
    var now = JSON.parse(event.data);
    if (now.version !== version) {
      window.location.reload();
    }
  });
  source.addEventListener("change", function (event) {
    var change = JSON.parse(event.data);
    version = change.version;
    if (concerns(change)) {
      window.location.reload();
    }
  });
})();
