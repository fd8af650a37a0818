// The audit page's script (embedded by src/emit/audit.rs): draws the sheets lazily, the
// sidebar of flags by page, the filters, the detail panel, and with #selftest a summary of
// what it drew for the headless-browser test; with #flag=N it opens on flag N.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("audit-data").textContent);
  var SCALE = 1.25; // CSS pixels per PDF point
  var SEVERITIES = ["error", "warning", "info"];
  var COLOURS = {
    title: "#6b46c1", heading: "#2b6cb0", paragraph: "#718096", list_item: "#2f855a",
    table: "#c05621", caption: "#b83280", footnote: "#4a5568", figure: "#805ad5",
    toc_entry: "#319795", byline: "#975a16", furniture: "#a0aec0"
  };
  var state = { kinds: new Set(), severities: new Set(SEVERITIES) };
  var rendered = [];
  var wraps = [];
  var flagsOfBlock = {};
  var blocksOfSheet = data.sheets.map(function () { return []; });
  var flagsOfSheet = data.sheets.map(function () { return []; });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  data.blocks.forEach(function (b, i) { blocksOfSheet[b.sheet].push(i); });
  data.flags.forEach(function (f, i) {
    state.kinds.add(f.kind);
    (flagsOfBlock[f.block] = flagsOfBlock[f.block] || []).push(i);
    flagsOfSheet[data.blocks[f.block].sheet].push(i);
  });

  function flagTitle(f) {
    return f.severity + " · " + f.kind + ": " + f.detail + (f.repair ? " — repair: " + f.repair : "");
  }

  function flagVisible(f) {
    return state.kinds.has(f.kind) && state.severities.has(f.severity);
  }

  function flagElement(i, inline) {
    var f = data.flags[i];
    var e = el(inline ? "span" : "div", "flag sev-" + f.severity);
    e.dataset.flag = i;
    e.dataset.kind = f.kind;
    e.dataset.severity = f.severity;
    e.title = flagTitle(f);
    e.appendChild(el("span", "badge", f.kind));
    if (!flagVisible(f)) e.classList.add("hidden");
    e.addEventListener("click", function (ev) { ev.stopPropagation(); select(i); });
    return e;
  }

  function renderSheet(s) {
    if (rendered[s]) return;
    rendered[s] = true;
    var sheet = data.sheets[s];
    var page = wraps[s].querySelector(".sheet");
    if (sheet.size) {
      if (sheet.image) {
        var img = el("img", "page-image");
        img.src = sheet.image;
        img.alt = sheet.label;
        page.appendChild(img);
      }
      var unplaced = wraps[s].querySelector(".unplaced");
      blocksOfSheet[s].forEach(function (bi) {
        var b = data.blocks[bi];
        if (!b.bbox) {
          unplaced.appendChild(lineBlock(bi));
          return;
        }
        var box = el("div", "box" + (sheet.image ? "" : " text-drawn"));
        var pos = position(b.bbox);
        Object.assign(box.style, pos);
        box.style.borderColor = COLOURS[b.type] || "#999";
        if (b.type === "furniture") box.style.borderStyle = "dashed";
        box.title = b.type + " " + b.id;
        if (!sheet.image) box.textContent = b.text;
        page.appendChild(box);
        // Flags on the block's own box stack their badges; a cell's flag sits on the cell.
        var stacked = 0;
        (flagsOfBlock[bi] || []).forEach(function (fi) {
          var f = flagElement(fi, false);
          var own = data.flags[fi].bbox;
          f.style.inset = "auto"; // before the box: `inset` would reset left and top
          Object.assign(f.style, own ? position(own) : pos);
          if (!own) {
            f.querySelector(".badge").style.top = (-9 - stacked * 12) + "px";
            stacked += 1;
          }
          page.appendChild(f);
        });
      });
    } else {
      blocksOfSheet[s].forEach(function (bi) { page.appendChild(lineBlock(bi)); });
    }
  }

  function position(bbox) {
    return {
      left: bbox[0] * SCALE + "px", top: bbox[1] * SCALE + "px",
      width: Math.max(2, (bbox[2] - bbox[0]) * SCALE) + "px",
      height: Math.max(2, (bbox[3] - bbox[1]) * SCALE) + "px"
    };
  }

  function lineBlock(bi) {
    var b = data.blocks[bi];
    var row = el("div", "line-block");
    row.style.borderColor = COLOURS[b.type] || "#999";
    row.title = b.type + " " + b.id;
    var ln = b.lines ? (b.lines[0] === b.lines[1] ? "" + b.lines[0] : b.lines[0] + "–" + b.lines[1]) : b.id;
    row.appendChild(el("span", "ln", ln));
    var text = el("span", "text", b.text);
    row.appendChild(text);
    (flagsOfBlock[bi] || []).forEach(function (fi) { text.appendChild(flagElement(fi, true)); });
    return row;
  }

  function buildSheets() {
    var main = document.getElementById("main");
    var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) renderSheet(+entry.target.dataset.sheet);
      });
    }, { rootMargin: "1200px 0px" }) : null;
    data.sheets.forEach(function (sheet, s) {
      var wrap = el("section", "sheet-wrap");
      wrap.dataset.sheet = s;
      wrap.dataset.page = sheet.page === null || sheet.page === undefined ? "" : sheet.page;
      wrap.id = "sheet-" + s;
      var page = el("div", "sheet" + (sheet.size ? "" : " text-sheet"));
      if (sheet.size) {
        page.style.width = sheet.size[0] * SCALE + "px";
        page.style.height = sheet.size[1] * SCALE + "px";
      } else {
        page.style.minHeight = "200px";
      }
      page.appendChild(el("span", "sheet-label", sheet.label));
      if (sheet.notes.length) page.appendChild(el("span", "sheet-notes", sheet.notes.join(" · ")));
      wrap.appendChild(page);
      var unplaced = el("div", "unplaced");
      unplaced.style.width = page.style.width;
      unplaced.style.margin = "0 auto";
      wrap.appendChild(unplaced);
      main.appendChild(wrap);
      wraps.push(wrap);
      if (observer) observer.observe(wrap); else renderSheet(s);
    });
  }

  function checkbox(container, label, count, checked, onChange) {
    var l = el("label");
    var c = el("input");
    c.type = "checkbox";
    c.checked = checked;
    c.addEventListener("change", function () { onChange(c.checked); });
    l.appendChild(c);
    l.appendChild(document.createTextNode(label));
    l.appendChild(el("span", "count", "(" + count + ")"));
    container.appendChild(l);
    return c;
  }

  var boxes = { kind: {}, severity: {} };

  function buildSidebar() {
    document.getElementById("doc-title").textContent = data.title || data.name;
    document.getElementById("doc-meta").textContent = data.source + " · " + data.format + " · " +
      data.sheets.length + (data.format === "pdf" ? " pages" : " sheets") + " · " + data.blocks.length + " blocks";
    var countBy = function (key) {
      var counts = {};
      data.flags.forEach(function (f) { counts[f[key]] = (counts[f[key]] || 0) + 1; });
      return counts;
    };
    var sevCounts = countBy("severity"), kindCounts = countBy("kind");
    var sevBox = document.getElementById("severity-filters");
    SEVERITIES.forEach(function (s) {
      boxes.severity[s] = checkbox(sevBox, s, sevCounts[s] || 0, true, function (on) {
        if (on) state.severities.add(s); else state.severities.delete(s);
        applyFilters();
      });
    });
    var kindBox = document.getElementById("kind-filters");
    Object.keys(kindCounts).sort().forEach(function (k) {
      boxes.kind[k] = checkbox(kindBox, k, kindCounts[k], true, function (on) {
        if (on) state.kinds.add(k); else state.kinds.delete(k);
        applyFilters();
      });
    });
    var legend = document.getElementById("legend");
    Object.keys(COLOURS).forEach(function (t) {
      var span = el("span");
      var swatch = el("i");
      swatch.style.borderColor = COLOURS[t];
      span.appendChild(swatch);
      span.appendChild(document.createTextNode(t));
      legend.appendChild(span);
    });
    document.getElementById("flag-total").textContent = "(" + data.flags.length + ")";
    var list = document.getElementById("flag-list");
    data.sheets.forEach(function (sheet, s) {
      if (!flagsOfSheet[s].length) return;
      var group = el("details");
      group.open = true;
      group.dataset.sheet = s;
      var summary = el("summary", null, sheet.label + " ");
      summary.appendChild(el("span", "count", ""));
      group.appendChild(summary);
      var ul = el("ul");
      flagsOfSheet[s].forEach(function (fi) {
        var f = data.flags[fi];
        var li = el("li");
        li.dataset.flag = fi;
        li.dataset.kind = f.kind;
        li.dataset.severity = f.severity;
        li.title = flagTitle(f);
        li.appendChild(el("span", "sev sev-" + f.severity, f.severity));
        li.appendChild(document.createTextNode(f.kind + " — " + f.context[1]));
        li.addEventListener("click", function () { select(fi, true); });
        ul.appendChild(li);
      });
      group.appendChild(ul);
      list.appendChild(group);
    });
  }

  function applyFilters() {
    document.querySelectorAll("[data-flag]").forEach(function (e) {
      e.classList.toggle("hidden", !flagVisible(data.flags[+e.dataset.flag]));
    });
    document.querySelectorAll("#flag-list details").forEach(function (group) {
      var shown = flagsOfSheet[+group.dataset.sheet].filter(function (fi) { return flagVisible(data.flags[fi]); }).length;
      group.querySelector(".count").textContent = "(" + shown + ")";
      group.classList.toggle("hidden", shown === 0);
    });
  }

  function select(i, scroll) {
    var f = data.flags[i];
    var b = data.blocks[f.block];
    renderSheet(b.sheet);
    document.querySelectorAll(".current").forEach(function (e) { e.classList.remove("current"); });
    document.querySelectorAll('[data-flag="' + i + '"]').forEach(function (e) { e.classList.add("current"); });
    if (scroll) {
      var target = wraps[b.sheet].querySelector('.flag[data-flag="' + i + '"]') || wraps[b.sheet];
      target.scrollIntoView({ block: "center" });
    }
    var panel = document.getElementById("detail");
    panel.textContent = "";
    var close = el("button", "close", "×");
    close.addEventListener("click", function () { panel.classList.add("hidden"); });
    panel.appendChild(close);
    var head = el("div");
    head.appendChild(el("span", "sev sev-" + f.severity, f.severity));
    head.appendChild(el("strong", null, f.kind));
    panel.appendChild(head);
    var quote = el("p");
    quote.appendChild(document.createTextNode(f.context[0]));
    quote.appendChild(el("mark", null, f.context[1]));
    quote.appendChild(document.createTextNode(f.context[2]));
    panel.appendChild(quote);
    var dl = el("dl");
    var row = function (k, v) { dl.appendChild(el("dt", null, k)); dl.appendChild(el("dd", null, v)); };
    row("detail", f.detail);
    if (f.repair) row("repair", f.repair);
    row("block", b.id + " (" + b.type + ")");
    row("where", data.sheets[b.sheet].label + (f.cell ? ", cell row " + (f.cell[0] + 1) + " column " + (f.cell[1] + 1) : ""));
    panel.appendChild(dl);
    panel.classList.remove("hidden");
  }

  function visibleFlags() {
    var out = [];
    document.querySelectorAll("#main .flag").forEach(function (e) {
      if (e.getClientRects().length > 0) out.push(+e.dataset.flag);
    });
    return out.sort(function (a, b) { return a - b; });
  }

  function setFilters(kinds, severities) {
    Object.keys(boxes.kind).forEach(function (k) { boxes.kind[k].checked = kinds.indexOf(k) >= 0; });
    SEVERITIES.forEach(function (s) { boxes.severity[s].checked = severities.indexOf(s) >= 0; });
    state.kinds = new Set(kinds);
    state.severities = new Set(severities);
    applyFilters();
  }

  // Draws everything, records where each flag landed and what each filter leaves visible.
  function selftest() {
    data.sheets.forEach(function (_, s) { renderSheet(s); });
    var placed = [];
    document.querySelectorAll("#main .flag").forEach(function (e) {
      var wrap = e.closest(".sheet-wrap");
      // Drawn over a page: where, in points from the page's top-left corner.
      var box = null;
      if (data.sheets[+wrap.dataset.sheet].size && e.parentElement.classList.contains("sheet")) {
        var p = e.parentElement.getBoundingClientRect(), r = e.getBoundingClientRect();
        box = [(r.left - p.left) / SCALE, (r.top - p.top) / SCALE, (r.right - p.left) / SCALE, (r.bottom - p.top) / SCALE];
      }
      placed.push({ flag: +e.dataset.flag, page: wrap.dataset.page === "" ? null : +wrap.dataset.page, sheet: +wrap.dataset.sheet, box: box });
    });
    var allKinds = Object.keys(boxes.kind);
    var filters = [];
    filters.push({ kinds: allKinds, severities: SEVERITIES.slice(), visible: visibleFlags() });
    allKinds.forEach(function (k) {
      setFilters([k], SEVERITIES.slice());
      filters.push({ kinds: [k], severities: SEVERITIES.slice(), visible: visibleFlags() });
    });
    SEVERITIES.forEach(function (s) {
      setFilters(allKinds, [s]);
      filters.push({ kinds: allKinds, severities: [s], visible: visibleFlags() });
    });
    setFilters([], []);
    filters.push({ kinds: [], severities: [], visible: visibleFlags() });
    setFilters(allKinds, SEVERITIES.slice());
    var sidebar = document.querySelectorAll("#flag-list li").length;
    // A click on each drawn flag opens the detail panel with that flag's kind and detail.
    var clicks = [];
    document.querySelectorAll("#main .flag").forEach(function (e) {
      e.click();
      var panel = document.getElementById("detail");
      clicks.push({ flag: +e.dataset.flag, shown: !panel.classList.contains("hidden"), text: panel.textContent });
    });
    document.getElementById("audit-selftest").textContent = JSON.stringify({
      flags: data.flags.length, sheets: data.sheets.length, placed: placed, sidebar: sidebar, filters: filters,
      clicks: clicks
    });
  }

  buildSidebar();
  buildSheets();
  applyFilters();
  if (location.hash === "#selftest") selftest();
  // `#flag=N` opens on flag N (the README's screenshot).
  var wanted = /^#flag=(\d+)$/.exec(location.hash);
  if (wanted && data.flags[+wanted[1]]) select(+wanted[1], true);
})();
