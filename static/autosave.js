/* The application editor and the review form save as people type. Each save carries only the questions changed
   since the last one (named in "present"), so a colleague's answers saved meanwhile are not
   overwritten. A failed save is retried (with growing pauses, and at once when the
   connection returns) and never dropped: until it succeeds the status says so and leaving
   the page asks first. Without this script, "Save draft" works. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData) return;
  var url = form.getAttribute("data-autosave");
  var pending = {}, timer = null, busy = false, stopped = false, pause = 2000;

  function group(name) {  /* a question: a.<key> (a budget's lines are one question) */
    return name.indexOf("a.") === 0 ? "a." + name.split(".")[1] : name;
  }

  function dirty() { return busy || Object.keys(pending).length > 0; }

  function say(key, extra, attribute) {
    var text = status.getAttribute(attribute || "data-" + key) || "";
    status.textContent = extra !== undefined ? text.replace("%s", extra) : text;
    status.setAttribute("data-state", key);
  }

  function sayCount(key, n) {  /* the sentence in the form for n: data-<key>-one, -many, -other */
    var category = window.Intl && Intl.PluralRules
      ? new Intl.PluralRules(document.documentElement.lang).select(n) : n === 1 ? "one" : "other";
    var attribute = "data-" + key + "-" + category;
    say(key, String(n), status.hasAttribute(attribute) ? attribute : "data-" + key + "-other");
  }

  function payload(groups) {
    var data = new FormData();
    data.append("csrf_token", form.elements.csrf_token.value);
    groups.forEach(function (name) { data.append("present", name); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.tagName === "BUTTON" || el.type === "file") return;
      if (groups.indexOf(group(el.name)) < 0) return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      data.append(el.name, el.value);
    });
    return data;
  }

  function retryLater(groups) {
    busy = false;
    groups.forEach(function (name) { pending[name] = true; });
    say("retrying");
    clearTimeout(timer);
    timer = setTimeout(save, pause);
    pause = Math.min(pause * 2, 60000);
  }

  function stop(groups, reason) {  /* signed out, deadline passed: retrying cannot help */
    busy = false;
    stopped = true;
    groups.forEach(function (name) { pending[name] = true; });
    if (reason) say("stopped", reason); else say("reload");
  }

  function save() {
    if (stopped || busy) return;
    var groups = Object.keys(pending);
    if (!groups.length) return;
    pending = {};
    busy = true;
    say("saving");
    fetch(url, {method: "POST", body: payload(groups), credentials: "same-origin",
                headers: {"Accept": "application/json"}})
      .then(function (response) {
        var json = (response.headers.get("content-type") || "").indexOf("json") >= 0;
        if (response.status >= 500 || response.status === 429) return retryLater(groups);
        if (response.redirected || !json) return stop(groups);
        return response.json().then(function (body) {
          if (!response.ok) return stop(groups, body.message || "");
          busy = false;
          pause = 2000;
          var problems = Object.keys(body.errors || {}).length;
          if (problems) sayCount("problems", problems); else say("saved");
          if (Object.keys(pending).length) schedule();
        });
      })
      .catch(function () { retryLater(groups); });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }

  function changed(event) {
    var el = event.target;
    if (!el.name || el.type === "file" || el.name === "csrf_token") return;
    pending[group(el.name)] = true;
    schedule();
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  window.addEventListener("online", function () { if (!busy) save(); });
  window.addEventListener("beforeunload", function (event) {
    if (dirty()) { event.preventDefault(); event.returnValue = ""; }
  });
  form.addEventListener("submit", function () {  /* the whole form goes: nothing is pending */
    pending = {};
    busy = false;
    stopped = true;
    clearTimeout(timer);
  });
})();
