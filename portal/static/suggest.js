// Suggestions as you type: an ARIA combobox over the plain GET search form, which works without it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var list = document.createElement("ul");
  var items = [], active = -1, timer = 0, latest = 0;
  list.id = "search-suggest";
  list.className = "suggest";
  list.hidden = true;
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", form.getAttribute("data-suggest-label"));
  form.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  function select(i) {
    if (active >= 0) list.children[active].setAttribute("aria-selected", "false");
    active = i;
    if (i < 0) return input.removeAttribute("aria-activedescendant");
    list.children[i].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", list.children[i].id);
  }
  function close() {
    select(-1);
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }
  function go(i) { window.location.href = items[i].url; }
  function show(data) {
    close();
    items = data;
    list.textContent = "";
    data.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "search-suggest-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = item.title;
      // mousedown: the input keeps focus, so blur does not close the list first
      li.addEventListener("mousedown", function (e) { e.preventDefault(); go(i); });
      list.appendChild(li);
    });
    if (data.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  }
  input.addEventListener("input", function () {
    var q = input.value.trim();
    clearTimeout(timer);
    if (q.length < 2) return close();
    timer = setTimeout(function () {
      var n = ++latest, url = form.getAttribute("data-suggest-url");
      fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q), {credentials: "omit"})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) { if (n === latest) show(data); })
        .catch(close);
    }, 250);
  });
  input.addEventListener("keydown", function (e) {
    var n = items.length;
    if (list.hidden || !n) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      select(e.key === "ArrowDown" ? (active + 1) % n : (active < 1 ? n : active) - 1);
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      go(active);
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", close);
})();
