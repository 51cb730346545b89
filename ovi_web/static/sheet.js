/* The referral sheet's print button: shown only when JavaScript can use it (the browser's own print works
   without it). */
(function () {
  "use strict";
  var button = document.getElementById("tulosta");
  if (!button || !window.print) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
