// The pain drawing: paint regions on the body map with mouse, touch or keyboard.
// The form's list view (checkbox + intensity + qualities per region) is the source of
// truth; the map mirrors it. Every change fires a bubbling "change" event on the form,
// which htmx turns into a request for fresh suggestions. Words it adds come from the page
// (data-pain-words on [data-painter], in the reader's language), English by default.
// The self-check's map (public page) marks places only: it has no intensity, qualities,
// brush or "no pain" box, and every part of this script that uses them is skipped.
(function () {
  "use strict";

  const painter = document.querySelector("[data-painter]");
  if (!painter) return;
  const form = painter.closest("form");
  const brushIntensity = painter.querySelector("[data-brush-intensity]");
  const brushValue = painter.querySelector("[data-brush-value]");
  const undoButton = painter.querySelector("[data-undo]");
  const noPain = form.querySelector('input[name="no_pain"]');
  const count = painter.querySelector("[data-marked-count]");
  const esc = (value) => CSS.escape(value);
  const painWords = painter.hasAttribute("data-pain-words")
    ? painter.dataset.painWords : ", pain {number} out of 10";

  const checkbox = (key) => form.querySelector('input[name="mark"][value="' + esc(key) + '"]');
  const intensity = (key) => form.querySelector('select[name="' + esc("intensity:" + key) + '"]');
  const qualities = (key) => form.querySelectorAll('input[name="' + esc("quality:" + key) + '"]');
  const shapes = (key) => painter.querySelectorAll('.region[data-key="' + esc(key) + '"]');

  function state() {
    const marks = new Map();
    form.querySelectorAll('input[name="mark"]:checked').forEach(function (box) {
      const key = box.value;
      const chosen = Array.from(qualities(key)).filter((q) => q.checked).map((q) => q.value);
      const select = intensity(key);
      marks.set(key, { intensity: select ? select.value : "", qualities: chosen });
    });
    return { marks: marks, noPain: noPain ? noPain.checked : false };
  }

  function render(key) {
    const box = checkbox(key);
    const on = box.checked;
    const select = intensity(key);
    const level = select ? "i" + select.value : "i7";
    shapes(key).forEach(function (shape) {
      shape.classList.remove("i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9", "i10");
      shape.classList.toggle("marked", on);
      if (on) shape.classList.add(level);
      shape.setAttribute("aria-checked", on ? "true" : "false");
      if (!shape.dataset.label) shape.dataset.label = shape.getAttribute("aria-label");
      const strength = on && select ? painWords.replace("{number}", select.value) : "";
      shape.setAttribute("aria-label", shape.dataset.label + strength);
    });
    const row = box.closest("[data-row]");
    if (row) row.classList.toggle("is-marked", on);
  }

  function renderAll() {
    form.querySelectorAll('input[name="mark"]').forEach((box) => render(box.value));
    if (count) count.textContent = form.querySelectorAll('input[name="mark"]:checked').length;
    painter.classList.toggle("is-no-pain", noPain ? noPain.checked : false);
  }

  // Undo keeps the states before each change, whatever made it (map, list or buttons).
  const history = [];
  let current = state();
  let stroke = false;

  function remember() {
    if (stroke) return;
    history.push(current);
    if (history.length > 100) history.shift();
    if (undoButton) undoButton.disabled = false;
  }

  function committed() {
    current = state();
    renderAll();
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function setMark(key, on) {
    const box = checkbox(key);
    if (!box || box.checked === on) return false;
    box.checked = on;
    if (on && brushIntensity) {
      intensity(key).value = brushIntensity.value;
      const brushQualities = Array.from(painter.querySelectorAll("[data-brush-quality]:checked"))
        .map((q) => q.value);
      qualities(key).forEach((q) => { q.checked = brushQualities.includes(q.value); });
      if (noPain) noPain.checked = false;
    }
    render(key);
    return true;
  }

  function restore(saved) {
    form.querySelectorAll('input[name="mark"]').forEach(function (box) {
      const mark = saved.marks.get(box.value);
      box.checked = Boolean(mark);
      if (mark && intensity(box.value)) {
        intensity(box.value).value = mark.intensity;
        qualities(box.value).forEach((q) => { q.checked = mark.qualities.includes(q.value); });
      }
    });
    if (noPain) noPain.checked = saved.noPain;
  }

  // Painting: press on the map and drag; every region under the pointer's path is marked
  // (or cleared, if the first region the stroke reaches was marked). A stroke may start
  // just outside a region (between the arm and the body, at the outline's edge).
  const map = painter.querySelector("[data-bodymap]");
  let paintMode = null;
  let pressed = null; // the last pointer position of a stroke in progress

  function paintAt(x, y) {
    const under = document.elementFromPoint(x, y);
    const region = under && under.closest && under.closest(".region[data-key]");
    if (!region || !map.contains(region)) return;
    if (paintMode === null) {
      remember();
      stroke = true;
      paintMode = !checkbox(region.dataset.key).checked;
    }
    setMark(region.dataset.key, paintMode);
  }

  let pointer = null; // the one pointer that paints (a second finger starts a pinch)
  painter.addEventListener("pointerdown", function (event) {
    if (!map || event.button > 0 || pressed !== null) return;
    if (!event.target.closest(".bodymap-svg")) return;
    event.preventDefault();
    pointer = event.pointerId;
    pressed = [event.clientX, event.clientY];
    paintAt(event.clientX, event.clientY);
  });
  document.addEventListener("pointermove", function (event) {
    if (pressed === null || event.pointerId !== pointer) return;
    // Sample the segment since the last event, so a quick stroke misses no small region.
    const [x0, y0] = pressed;
    const steps = Math.max(1, Math.ceil(Math.hypot(event.clientX - x0, event.clientY - y0) / 3));
    for (let i = 1; i <= steps; i++) {
      paintAt(x0 + (event.clientX - x0) * i / steps, y0 + (event.clientY - y0) * i / steps);
    }
    pressed = [event.clientX, event.clientY];
  });
  function endStroke(event) {
    if (pressed === null || event.pointerId !== pointer) return;
    pressed = null;
    if (paintMode === null) return;
    paintMode = null;
    stroke = false;
    if (event.type === "pointercancel") {
      // The browser took the touch for a pinch or a scroll: take the stroke back.
      restore(history.pop());
      if (undoButton) undoButton.disabled = history.length === 0;
      current = state();
      renderAll();
      return;
    }
    committed();
  }
  document.addEventListener("pointerup", endStroke);
  document.addEventListener("pointercancel", endStroke);
  // Chromium ignores touch-action on SVG shapes, so a finger dragged from a region would
  // scroll the page and cancel the stroke: a finger on a region paints instead. Elsewhere
  // (the gaps, around the figures) it still scrolls.
  if (map) {
    map.addEventListener("touchstart", function (event) {
      const onRegion = event.target.closest && event.target.closest(".region[data-key]");
      if (onRegion && event.touches.length === 1) event.preventDefault();
    }, { passive: false });
  }

  // Keyboard: the map is one Tab stop (roving tabindex); arrow keys move to the nearest
  // region in that direction (worked out on the server: data-up, data-down, ...); Space
  // or Enter toggles the focused region.
  const ARROWS = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right" };
  const DIGIT = /^[0-9]$/;
  const STEP = { "+": 1, "=": 1, "-": -1 };
  function rove(region) {
    map.querySelectorAll('.region[tabindex="0"]').forEach((r) => r.setAttribute("tabindex", "-1"));
    region.setAttribute("tabindex", "0");
  }
  painter.addEventListener("focusin", function (event) {
    const region = event.target.closest && event.target.closest(".region[data-key]");
    if (region && map && map.contains(region)) rove(region);
  });
  painter.addEventListener("keydown", function (event) {
    const region = event.target.closest(".region[data-key]");
    if (!region || event.altKey || event.ctrlKey || event.metaKey) return;
    const direction = ARROWS[event.key];
    if (direction) {
      event.preventDefault();
      const next = document.getElementById(region.dataset[direction] || "");
      if (next) {
        rove(next);
        next.focus();
      }
      return;
    }
    const key = region.dataset.key;
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      remember();
      setMark(key, !checkbox(key).checked);
      committed();
    } else if (intensity(key) &&
               (DIGIT.test(event.key) || (STEP[event.key] && checkbox(key).checked))) {
      // A digit marks the region with that intensity; + and - change a marked one's.
      event.preventDefault();
      const now = Number(intensity(key).value);
      const value = DIGIT.test(event.key) ? Number(event.key) : now + STEP[event.key];
      if (value < 0 || value > 10 || (checkbox(key).checked && value === now)) return;
      remember();
      setMark(key, true);
      intensity(key).value = String(value);
      committed();
    }
  });

  // A click with no pointer behind it (detail 0: a screen reader's "activate") toggles too;
  // pointer clicks were painted on pointerdown already.
  painter.addEventListener("click", function (event) {
    const region = event.target.closest && event.target.closest(".region[data-key]");
    if (!region || !map || !map.contains(region) || event.detail !== 0) return;
    remember();
    setMark(region.dataset.key, !checkbox(region.dataset.key).checked);
    committed();
  });

  // Skip links: to the map (its current Tab stop), to the list view (opened), to Save.
  function focusMap() {
    const region = map.querySelector('.region[tabindex="0"]') || map.querySelector(".region");
    if (region) region.focus();
  }
  document.addEventListener("click", function (event) {
    const link = event.target.closest &&
      event.target.closest("[data-skip-map], [data-skip-list], [data-skip-save]");
    if (!link || !map) return;
    event.preventDefault();
    if (link.hasAttribute("data-skip-map")) {
      focusMap();
    } else if (link.hasAttribute("data-skip-list")) {
      const list = form.querySelector("[data-list-view]");
      const group = list.querySelector("details.marks-group");
      list.open = true;
      if (group) group.open = true;
      (list.querySelector('input[name="mark"]') || list.querySelector("summary")).focus();
    } else {
      const save = document.getElementById("drawing-save");
      if (save) save.focus();
    }
  });

  // The list view and the "no pain" box change the form directly.
  form.addEventListener("input", function (event) {
    const name = event.target.name || "";
    if (name === "mark" || name.startsWith("intensity:") || name.startsWith("quality:")) {
      remember();
      current = state();
      renderAll();
    } else if (event.target === noPain) {
      remember();
      if (noPain.checked) {
        form.querySelectorAll('input[name="mark"]:checked').forEach(function (box) {
          box.checked = false;
        });
      }
      current = state();
      renderAll();
    }
  });

  if (brushIntensity) {
    brushIntensity.addEventListener("input", function () {
      brushValue.textContent = brushIntensity.value;
    });
  }

  const clearButton = painter.querySelector("[data-clear]");
  if (clearButton) clearButton.addEventListener("click", function () {
    remember();
    form.querySelectorAll('input[name="mark"]:checked').forEach((box) => { box.checked = false; });
    committed();
  });

  if (undoButton) undoButton.addEventListener("click", function () {
    const previous = history.pop();
    if (!previous) return;
    restore(previous);
    undoButton.disabled = history.length === 0;
    committed();
  });

  renderAll();
})();
