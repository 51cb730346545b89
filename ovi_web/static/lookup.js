/* The quick lookup follows the typing: the form's values are fetched as the same page (/haku?…) and its
   results section is swapped in; the address bar keeps the query, so a search can be shared. Without this
   script the form is a plain GET form and gives the same results. */
(function () {
  "use strict";
  var form = document.querySelector("form.lookup-form");
  var results = document.getElementById("tulokset");
  if (!form || !results || !window.fetch || !window.URLSearchParams) { return; }
  var timer = null;
  var latest = 0;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") { params.append(key, value); }
    });
    return params.toString();
  }

  function update() {
    var qs = query();
    var url = "/haku" + (qs ? "?" + qs : "");
    var mine = ++latest;
    fetch(url, { headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (mine !== latest) { return; }  // a newer search is on its way
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("tulokset");
        if (!fresh) { return; }
        results.innerHTML = fresh.innerHTML;
        history.replaceState(null, "", url);
      })
      .catch(function () { /* the submit button still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
