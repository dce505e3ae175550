/* Enhancement only: widgets answer in place, copy and print buttons. Every form also works as a plain
   post. No cookies, no storage, no other hosts. */
(function () {
  "use strict";
  if (window.feedbackReady) return;
  window.feedbackReady = true;
  document.addEventListener("submit", function (e) {
    var f = e.target, s = e.submitter, box = f.closest("[data-feedback]");
    if (!f.matches("form[data-ajax]") || !box || !window.fetch || s === undefined) return;
    e.preventDefault();
    var d = new URLSearchParams(new FormData(f));
    if (s && s.name) d.append(s.name, s.value);
    fetch(f.action, {method: "POST", body: d, headers: {Accept: "application/json"}})
      .then(function (r) { if (!r.ok) throw r; return r.json(); })
      .then(function (j) {
        box.innerHTML = j.html;
        var t = box.querySelector("[tabindex='-1']");
        if (t) t.focus();
      })
      .catch(function () {
        if (s && s.name) {
          var h = document.createElement("input");
          h.type = "hidden"; h.name = s.name; h.value = s.value; f.appendChild(h);
        }
        f.submit();
      });
  });
  var c = document.querySelector("[data-copy]"), u = document.querySelector("[data-share-url]"),
      st = document.querySelector("[data-copy-status]"), p = document.querySelector("[data-print]");
  function done() {
    if (st) st.textContent = st.getAttribute("data-done");
    if (navigator.sendBeacon) navigator.sendBeacon(c.getAttribute("data-count"));
  }
  if (c && u) {
    c.hidden = false;
    u.addEventListener("focus", function () { u.select(); });
    c.addEventListener("click", function () {
      u.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(u.value).then(done, function () { if (document.execCommand("copy")) done(); });
      } else if (document.execCommand("copy")) done();
    });
  }
  if (p) {
    p.hidden = false;
    p.addEventListener("click", function () { window.print(); });
  }
})();
