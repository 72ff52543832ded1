// Starts Pagefind's search interface on the search page (site/search.html.j2). It is a file of its
// own, not a script in the page, because the pages' Content-Security-Policy runs no inline script.
// Pagefind's script finds its index beside itself (../pagefind/), so no address is written here.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) {
    return;
  }
  // Opened from a folder (file://), a browser fetches no index; and Pagefind's script may be
  // missing. Then the page says so and points to the register's year tables instead.
  if (window.location.protocol === "file:" || typeof window.PagefindUI !== "function") {
    var unavailable = document.getElementById("search-unavailable");
    if (unavailable) {
      unavailable.hidden = false;
    }
    return;
  }
  new window.PagefindUI({
    element: "#search",
    showImages: false,
    showSubResults: false,
    openFilters: ["year", "status"],
  });
})();
