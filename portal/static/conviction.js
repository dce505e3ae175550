// «Судимость и работа» with JavaScript (the flow works without it; docs/conviction-check.md, «Privacy»).
// 1. Each next screen is fetched and swapped into the page instead of being opened, so the answers never
//    reach the address bar, the Back history or the browser's history list: the whole check is one entry,
//    /proverka-sudimosti, whatever was answered.
// 2. «Выйти» replaces that one entry with the neutral site, so Back leads to the page before the check.
(function () {
  "use strict";
  var FLOW = /^\/(?:[a-z]{2}\/)?proverka-sudimosti(?:\/otvet)?$/;

  function inFlow(url) {
    return url.origin === window.location.origin && FLOW.test(url.pathname);
  }

  function show(href) {
    window.fetch(href, {credentials: "same-origin", redirect: "follow", cache: "no-store"})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        var main = next.getElementById("main");
        var current = document.getElementById("main");
        if (!main || !current) throw new Error("no main");
        current.replaceWith(document.importNode(main, true));
        document.title = next.title;
        window.scrollTo(0, 0);
        // Screen readers: read the new question (or the error summary) as if a page had loaded.
        var target = document.querySelector("#main .error-summary") || document.querySelector("#main h1");
        if (target) {
          target.setAttribute("tabindex", "-1");
          target.focus();
        }
      })
      .catch(function () { window.location.replace(href); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.question")) return;
    var url = new URL(form.getAttribute("action"), window.location.href);
    if (!inFlow(url) || !window.fetch || !window.DOMParser) return;
    event.preventDefault();
    url.search = new URLSearchParams(new FormData(form)).toString();
    show(url.href);
  });

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.altKey) return;
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link) return;
    if (link.classList.contains("exit-link")) {
      event.preventDefault();
      window.location.replace(link.href);
      return;
    }
    var url = new URL(link.href, window.location.href);
    if (!inFlow(url) || url.hash || !window.fetch || !window.DOMParser) return;
    event.preventDefault();
    show(url.href);
  });
})();
