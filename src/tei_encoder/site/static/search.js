// Pagefind's results point at the site's root: found from this page, so any host or sub-folder works.
window.addEventListener("DOMContentLoaded", function () {
  if (typeof PagefindUI === "undefined") {
    document.getElementById("search").textContent = "The search index is missing: build the site with Pagefind installed.";
    return;
  }
  var base = new URL(".", window.location.href).pathname;
  new PagefindUI({ element: "#search", baseUrl: base, showSubResults: true, showImages: false });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    var input = document.querySelector("#search input");
    if (input) { input.value = query; input.dispatchEvent(new Event("input")); }
  }
});
