/* «Слушать»: read the page aloud with the phone's own speech engine, sentence by sentence.
   Progressive enhancement: the controls stay hidden unless the browser has a Russian voice.
   Nothing leaves the browser: the Web Speech API speaks with the device's voices.
   The page is only changed when the reader presses the button (sentences are wrapped in spans then). */
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var box = document.querySelector("[data-listen]");
  if (!box || !synth || !window.SpeechSynthesisUtterance) return;
  // What is not read: the «Выйти» link, navigation, widgets and forms, closed explanations, print-only text.
  var SKIP = "nav,form,button,select,textarea,input,script,style,noscript,[hidden],[aria-hidden=true]," +
    ".no-print,.exit-bar,.print-only,.skip-link,.sources,[data-listen],[data-listen-skip]," +
    "details:not([open])>:not(summary),details.term-note:not([open])";
  var BLOCK = "p,li,dt,dd,th,td,caption,summary,h1,h2,h3,h4,h5,h6,blockquote,pre,figcaption,div,section,article,main";
  var ABBR = /(^|[\s(])(ст|ч|п|г|гг|ул|д|им|т|пр|обл|руб|тыс|млн|см|др|св)\.$/i;
  var play = box.querySelector(".listen-play");
  var slower = box.querySelector(".listen-slower");
  var stop = box.querySelector(".listen-stop");
  var voice = null, sentences = null, index = 0, current = null, state = "idle";

  // A Russian voice on the device only: an online voice (localService false, e.g. Chrome's «Google русский»)
  // would send the page's text to its vendor.
  function findVoice() {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      var v = voices[i];
      if (v.localService !== false && /^ru\b/i.test(String(v.lang).replace("_", "-"))) return v;
    }
    return null;
  }

  function textBlocks(root) {
    var blocks = [], last = null;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        if (!parent || parent.closest(SKIP) || !parent.getClientRects().length) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var block = node.parentElement.closest(BLOCK);
      if (block !== last) { blocks.push([]); last = block; }
      blocks[blocks.length - 1].push(node);
    }
    return blocks;
  }

  // Split each block into sentences and wrap each sentence's text in spans, so it can be highlighted.
  function prepare(root) {
    var result = [];
    textBlocks(root).forEach(function (nodes) {
      var full = "", starts = [], pieces = nodes.map(function () { return []; });
      nodes.forEach(function (node) { starts.push(full.length); full += node.data; });
      var re = /[.!?…]+[»")]*\s+/g, from = 0, cuts = [], match, cut;
      while ((match = re.exec(full))) {
        cut = match.index + match[0].length;
        // A sentence starts with a capital or a quote; «ст. 180», «г. Челябинск» are not sentence ends.
        if (/^[A-ZА-ЯЁ«"(0-9]/.test(full.charAt(cut)) &&
            !ABBR.test(full.slice(Math.max(0, match.index - 5), match.index + 1))) cuts.push(cut);
      }
      cuts.push(full.length);
      cuts.forEach(function (to) {
        var text = full.slice(from, to).replace(/\s+/g, " ").trim();
        if (/[0-9A-Za-zА-Яа-яЁё]/.test(text)) {
          var sentence = { text: text, spans: [] };
          result.push(sentence);
          nodes.forEach(function (node, i) {
            var a = Math.max(from, starts[i]) - starts[i], b = Math.min(to, starts[i] + node.data.length) - starts[i];
            if (a < b && node.data.slice(a, b).trim()) pieces[i].push([a, b, sentence]);
          });
        }
        from = to;
      });
      nodes.forEach(function (node, i) {
        // From the end, so the offsets of the earlier pieces stay valid while the node is split.
        pieces[i].reverse().forEach(function (piece) {
          if (piece[1] < node.data.length) node.splitText(piece[1]);
          var part = piece[0] > 0 ? node.splitText(piece[0]) : node;
          var span = document.createElement("span");
          span.className = "listen-sentence";
          part.parentNode.replaceChild(span, part);
          span.appendChild(part);
          piece[2].spans.push(span);
        });
      });
    });
    return result;
  }

  function highlight(on) {
    var old = document.querySelectorAll(".listen-current");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("listen-current");
    if (!on || !sentences[index]) return;
    sentences[index].spans.forEach(function (span) { span.classList.add("listen-current"); });
    if (sentences[index].spans[0].scrollIntoView) sentences[index].spans[0].scrollIntoView({ block: "nearest" });
  }

  function setState(next) {
    state = next;
    play.textContent = box.getAttribute(next === "playing" ? "data-label-pause" :
      next === "paused" ? "data-label-continue" : "data-label-listen");
    stop.hidden = next === "idle";
  }

  function speak() {
    if (index >= sentences.length) { finish(); return; }
    highlight(true);
    var utterance = new SpeechSynthesisUtterance(sentences[index].text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = slower.getAttribute("aria-pressed") === "true" ? 0.7 : 1;
    utterance.onend = function () {
      if (utterance !== current) return;  // cancelled by pause, stop or a change of speed
      index += 1;
      speak();
    };
    utterance.onerror = utterance.onend;
    current = utterance;
    synth.speak(utterance);
  }

  function silence() {
    current = null;  // before cancel(): the cancelled utterance's end event must not move on
    synth.cancel();
  }

  function finish() {
    silence();
    index = 0;
    highlight(false);
    setState("idle");
  }

  function toggle() {
    if (state === "playing") {
      silence();
      setState("paused");
      return;
    }
    if (!sentences) sentences = prepare(document.querySelector("[data-listen-root]") || document.querySelector("main"));
    setState("playing");
    speak();
  }

  function changeSpeed() {
    slower.setAttribute("aria-pressed", slower.getAttribute("aria-pressed") === "true" ? "false" : "true");
    if (state === "playing") { silence(); speak(); }  // say the current sentence again at the new speed
  }

  function show() {
    if (voice || !(voice = findVoice())) return;
    play.addEventListener("click", toggle);
    slower.addEventListener("click", changeSpeed);
    stop.addEventListener("click", finish);
    window.addEventListener("pagehide", silence);
    box.hidden = false;
  }

  show();
  // Many browsers load their voices after the page: try again when the list arrives.
  if (!voice && synth.addEventListener) synth.addEventListener("voiceschanged", show);
})();
