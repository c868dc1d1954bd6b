/* The application editor saves as people type. A failed save is retried (with growing
   pauses, and at once when the connection returns) and never dropped: until it succeeds the
   status says so and leaving the page asks first. Without this script, "Save draft" works. */
(function () {
  "use strict";
  var form = document.getElementById("application");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData) return;
  var url = form.getAttribute("data-autosave");
  var timer = null, dirty = false, busy = false, stopped = false, pause = 2000;

  function say(key, extra) {
    var text = status.getAttribute("data-" + key) || "";
    status.textContent = extra ? text.replace("%s", extra) : text;
    status.setAttribute("data-state", key);
  }

  function payload() {
    var data = new FormData(form);
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      data.delete(input.name);
    });
    data.delete("action");
    data.delete("remove_file");
    return data;
  }

  function retryLater() {
    busy = false;
    dirty = true;
    say("retrying");
    clearTimeout(timer);
    timer = setTimeout(save, pause);
    pause = Math.min(pause * 2, 60000);
  }

  function save() {
    if (stopped) return;
    if (busy) { dirty = true; return; }
    busy = true;
    dirty = false;
    say("saving");
    fetch(url, {method: "POST", body: payload(), credentials: "same-origin",
                headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (response.status >= 500 || response.status === 429 || response.status === 0) {
          retryLater();
          return;
        }
        return response.json().then(function (body) {
          busy = false;
          if (!response.ok) {  /* the deadline passed, the session ended: stop and say why */
            stopped = true;
            dirty = true;
            say("stopped", body.message || body.error && body.error.message || "");
            return;
          }
          pause = 2000;
          var problems = Object.keys(body.errors || {}).length;
          if (problems) say("problems", String(problems)); else say("saved");
          if (dirty) schedule();
        });
      })
      .catch(retryLater);
  }

  function schedule() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  window.addEventListener("online", function () { if (dirty && !busy) save(); });
  window.addEventListener("beforeunload", function (event) {
    if (dirty || busy) { event.preventDefault(); event.returnValue = ""; }
  });
  form.addEventListener("submit", function () {
    dirty = false;
    busy = false;
    stopped = true;
    clearTimeout(timer);
  });
})();
