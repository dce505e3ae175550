// «Выйти» on the conviction check: replace this page in the history, so the Back button on a shared
// phone does not lead to the answers. Without JavaScript the link still leaves the site.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.exit-link") : null;
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  window.location.replace(link.href);
});
