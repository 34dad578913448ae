/* Statement change form (admin): choose a statement's span by selecting its words.
 *
 * Loaded by templates/admin/statements/statement/change_form.html, which also renders
 * the source's full text as JSON (#span-source-body, json_script: data, not script) and
 * an empty #span-picker box. Selecting text in the picker, or in the "In the source"
 * excerpt, fills span_start and span_end; the preview under the picker shows what those
 * offsets select, before saving, whether they were selected or typed.
 *
 * Offsets are Python string indexes (code points); JavaScript counts UTF-16 units, so
 * every offset is converted at the boundary. No inline script, no eval: CSP-clean.
 */
(function () {
  "use strict";

  var CONTEXT = 80; // characters of context either side of the span in the preview

  function $(id) {
    return document.getElementById(id);
  }

  // -- code points <-> UTF-16 -------------------------------------------------------

  function toCodePoints(text, unit) {
    var n = 0;
    for (var i = 0; i < unit && i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
        var p = text.charCodeAt(i - 1);
        if (p >= 0xd800 && p <= 0xdbff) continue; // second half of a pair
      }
      n++;
    }
    return n;
  }

  function toUnits(text, points) {
    var i = 0;
    for (var n = 0; n < points && i < text.length; n++) {
      var c = text.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    }
    return i;
  }

  // -- where a DOM point falls in the text of an element -----------------------------

  /* Characters before (node, offset) inside root: text as is, each <br> one newline
     (the admin excerpt renders newlines as <br>). */
  function textOffset(root, node, offset) {
    var range = document.createRange();
    range.setStart(root, 0);
    range.setEnd(node, offset);
    var walker = document.createTreeWalker(
      range.cloneContents(),
      NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT
    );
    var count = 0;
    while (walker.nextNode()) {
      var current = walker.currentNode;
      if (current.nodeType === Node.TEXT_NODE) count += current.data.length;
      else if (current.nodeName === "BR") count += 1;
    }
    return count;
  }

  function init() {
    var data = $("span-source-body");
    var picker = $("span-picker");
    var startInput = $("id_span_start");
    var endInput = $("id_span_end");
    if (!data || !picker || !startInput || !endInput) return;
    var body = JSON.parse(data.textContent);
    var text = picker.querySelector(".span-source");
    var preview = $("span-preview");
    var note = $("span-note");
    // Show the picker right after the fieldset holding the offsets it sets.
    var fieldset = endInput.closest("fieldset");
    if (fieldset && fieldset !== picker) fieldset.after(picker);
    picker.hidden = false;

    function offsets() {
      var start = parseInt(startInput.value, 10);
      var end = parseInt(endInput.value, 10);
      return { start: start, end: end };
    }

    function render() {
      var o = offsets();
      var length = toCodePoints(body, body.length);
      preview.textContent = "";
      text.textContent = "";
      if (isNaN(o.start) || isNaN(o.end)) {
        text.textContent = body;
        preview.textContent = "Give a start and an end, or select the words in the text.";
        return;
      }
      if (o.start < 0 || o.end > length || o.end < o.start) {
        text.textContent = body;
        preview.textContent =
          o.end < o.start
            ? "The end comes before the start."
            : "These offsets fall outside the source (" + length + " characters).";
        return;
      }
      var a = toUnits(body, o.start);
      var b = toUnits(body, o.end);
      var mark = document.createElement("mark");
      mark.textContent = body.slice(a, b);
      text.append(body.slice(0, a), mark, body.slice(b));
      var before = body.slice(Math.max(0, a - CONTEXT), a);
      var after = body.slice(b, b + CONTEXT);
      var shown = document.createElement("mark");
      shown.textContent = body.slice(a, b);
      preview.append(
        (a > CONTEXT ? "…" : "") + before,
        shown,
        after + (b + CONTEXT < body.length ? "…" : "")
      );
      // Keep the span in view inside the scrolling box, not the page.
      text.scrollTop = Math.max(0, mark.offsetTop - text.offsetTop - text.clientHeight / 3);
    }

    /* Fill the inputs from a selection [a, b) of UTF-16 units in body, trimmed. */
    function choose(a, b) {
      while (a < b && /\s/.test(body.charAt(a))) a++;
      while (b > a && /\s/.test(body.charAt(b - 1))) b--;
      if (b <= a) return false;
      startInput.value = String(toCodePoints(body, a));
      endInput.value = String(toCodePoints(body, b));
      startInput.dispatchEvent(new Event("change", { bubbles: true }));
      endInput.dispatchEvent(new Event("change", { bubbles: true }));
      render();
      if (note) note.textContent = "Span set to " + startInput.value + "–" + endInput.value + ". Save to keep it.";
      return true;
    }

    function selectionIn(root) {
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
      var range = selection.getRangeAt(0);
      if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
      return range;
    }

    // Selecting in the full text: positions map straight onto the body.
    function fromPicker() {
      var range = selectionIn(text);
      if (!range) return;
      choose(
        textOffset(text, range.startContainer, range.startOffset),
        textOffset(text, range.endContainer, range.endOffset)
      );
    }

    // Selecting in the saved excerpt: count from its <mark>, which starts at the saved
    // span_start, and check the words found are the words selected.
    function fromExcerpt(excerpt) {
      var range = selectionIn(excerpt);
      var markEl = excerpt.querySelector("mark");
      var saved = parseInt(picker.dataset.savedStart, 10);
      if (!range || !markEl || isNaN(saved)) return;
      var origin = textOffset(excerpt, markEl, 0);
      var base = toUnits(body, saved);
      var a = base + textOffset(excerpt, range.startContainer, range.startOffset) - origin;
      var b = base + textOffset(excerpt, range.endContainer, range.endOffset) - origin;
      a = Math.max(0, a);
      b = Math.min(body.length, b);
      var squash = function (s) {
        return s.replace(/…/g, "").replace(/\s+/g, " ").trim();
      };
      if (squash(body.slice(a, b)) !== squash(range.toString())) {
        if (note) note.textContent = "That selection could not be matched to the source; select in the full text below.";
        return;
      }
      choose(a, b);
    }

    text.addEventListener("mouseup", fromPicker);
    text.addEventListener("keyup", fromPicker);
    document.querySelectorAll(".source-excerpt").forEach(function (excerpt) {
      excerpt.addEventListener("mouseup", function () {
        fromExcerpt(excerpt);
      });
    });
    startInput.addEventListener("input", render);
    endInput.addEventListener("input", render);
    render();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
