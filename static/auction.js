/* The live auction page: the time left counts down every second, and every ten seconds the
   standing is asked for; when a bid came in, soft close moved the end or the auction closed,
   the page reloads, so what it shows is always the server's. Without this script the page
   shows the end. */
(function () {
  "use strict";
  var standing = document.getElementById("standing");
  if (!standing || !window.fetch) return;
  var left = standing.querySelector("[data-field=left]");
  var ends = Date.parse(standing.getAttribute("data-ends"));
  var bids = standing.getAttribute("data-bids");
  var status = standing.getAttribute("data-status");

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var seconds = Math.max(0, Math.floor((ends - Date.now()) / 1000));
    var text = Math.floor(seconds / 3600) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" +
               pad(seconds % 60);
    if (left) left.textContent = standing.getAttribute("data-left").replace("%(time)s", text);
  }

  function poll() {
    fetch(standing.getAttribute("data-url"), {headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (now) {
        if (!now) return;
        if (String(now.bids) !== bids || Date.parse(now.ends_at) !== ends ||
            now.status !== status) {
          window.location.reload();
        }
      })
      .catch(function () { /* offline: try again at the next poll */ });
  }

  tick();
  setInterval(tick, 1000);
  setInterval(poll, 10000);
})();
