"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const $ = (id) => document.getElementById(id);
  const doubtfulLevels = new Set(data.doubtful);
  const cells = data.cells;
  const tdOf = new Map();
  const corrections = new Map();
  let selected = null;
  let shown = undefined;
  let activeViolation = -1;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : String(v));
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  const fmt = (v) => (v === null || v === undefined ? "" : String(v));

  // ------------------------------------------------------------------ header
  $("status").textContent = data.statusName + (data.reviewed ? " · 已人工复核" : "");
  $("status").className = "status st-" + data.status;
  $("heading").textContent = data.meta.title || data.source.path;
  const metaParts = [];
  if (data.meta.agency) metaParts.push("机关：" + data.meta.agency);
  if (data.meta.year) metaParts.push("年度：" + data.meta.year);
  if (data.format) metaParts.push("格式：" + data.format + " 版");
  metaParts.push("原文：" + data.source.path);
  metaParts.push("sha256 " + (data.source.sha256 || "").slice(0, 12));
  if (data.error) metaParts.push("错误：" + data.error);
  $("meta").textContent = metaParts.join(" · ");
  const levelCounts = {};
  for (const c of Object.values(cells)) levelCounts[c.l] = (levelCounts[c.l] || 0) + 1;
  for (const [level, name] of Object.entries(data.levelNames)) {
    const span = el("span", { class: "lv-" + level }, name + " " + (levelCounts[level] || 0));
    span.style.background = getComputedStyle(document.documentElement).getPropertyValue("--" + level);
    $("legend").appendChild(span);
  }
  $("legend").appendChild(el("span", { class: "viol-key" }, "红框：勾稽关系不成立"));

  // ------------------------------------------------------------------ tables
  const violationCells = new Map();
  data.violations.forEach((v, i) => {
    for (const p of v.cells) {
      if (!violationCells.has(p)) violationCells.set(p, []);
      violationCells.get(p).push(i);
    }
  });

  function cellContent(td, path) {
    const c = cells[path];
    const edit = corrections.get("cell:" + path);
    td.textContent = "";
    if (edit) {
      if (fmt(edit.old) !== fmt(edit.new)) td.appendChild(el("s", {}, fmt(edit.old) || "空"));
      td.appendChild(document.createTextNode(fmt(edit.new)));
      td.appendChild(el("span", { class: "lv" }, "待导出"));
      return;
    }
    td.appendChild(document.createTextNode(c.v === null ? (c.l === "unknown" ? "?" : "") : fmt(c.v)));
    // trusted levels show by colour (and the title); a doubtful or reviewed cell also says so in words
    if (doubtfulLevels.has(c.l) || c.l === "reviewed") td.appendChild(el("span", { class: "lv" }, data.levelNames[c.l] || c.l));
  }

  function paintCell(path) {
    const td = tdOf.get(path);
    if (!td) return;
    const c = cells[path];
    const classes = ["cell", "lv-" + c.l];
    if (violationCells.has(path)) classes.push("viol");
    if (corrections.has("cell:" + path)) classes.push("edited");
    if (path === selected) classes.push("selected");
    td.className = classes.join(" ");
    cellContent(td, path);
  }

  const tablesRoot = $("tables");
  for (const table of data.tables) {
    if (!table.blocks.length) continue;
    tablesRoot.appendChild(el("h3", {}, table.title));
    for (const block of table.blocks) {
      const t = el("table", { class: "grid", "data-table": table.key });
      const thead = el("thead");
      for (const row of block.head) {
        const tr = el("tr");
        for (const h of row) tr.appendChild(el("th", { colspan: h.cs > 1 ? h.cs : null, rowspan: h.rs > 1 ? h.rs : null }, h.t));
        thead.appendChild(tr);
      }
      t.appendChild(thead);
      const tbody = el("tbody");
      const width = Math.max(...block.rows.map((r) => r.cells.length));
      for (const row of block.rows) {
        const tr = el("tr");
        if (row.label !== null) {
          const label = el("td", { class: row.cells.length ? "label" : "label group", title: row.full || null }, row.label);
          label.style.paddingLeft = 6 + row.depth * 14 + "px";
          if (!row.cells.length) label.colSpan = width + 1;
          tr.appendChild(label);
        }
        for (const path of row.cells) {
          const td = el("td", { "data-p": path, title: cells[path].d + " · " + (data.levelNames[cells[path].l] || cells[path].l) });
          tdOf.set(path, td);
          tr.appendChild(td);
          paintCell(path);
        }
        tbody.appendChild(tr);
      }
      t.appendChild(tbody);
      tablesRoot.appendChild(t);
    }
  }
  if (!data.tables.length) tablesRoot.appendChild(el("p", { class: "note" }, "没有读出表格：" + (data.error || "")));

  // the order a reviewer walks: doubtful cells and the cells of unconfirmed violations, as the tables print them
  const walk = [...tdOf.keys()].filter(
    (p) => doubtfulLevels.has(cells[p].l) || (violationCells.get(p) || []).some((i) => data.violations[i].verdict !== "source")
  );

  // ------------------------------------------------------------------ source pane
  const text = data.text || "";
  $("source-note").textContent = data.source.note || (text ? "" : "（无原文）");
  function showSource(path) {
    if (path === shown) return;
    shown = path;
    const span = path ? cells[path].s || cells[path].n : null;
    const mark = $("src-mark");
    mark.className = path && !cells[path].s ? "near" : "";
    if (!span) {
      $("src-before").textContent = text;
      mark.textContent = "";
      $("src-after").textContent = "";
      return;
    }
    $("src-before").textContent = text.slice(0, span[0]);
    mark.textContent = text.slice(span[0], span[1]);
    $("src-after").textContent = text.slice(span[1]);
    const pre = $("source");
    pre.scrollTop = Math.max(0, mark.offsetTop - pre.offsetTop - pre.clientHeight / 2);
  }
  showSource(null);

  // ------------------------------------------------------------------ the PDF page of a located cell
  const pages = data.pages || {};
  function showPage(path) {
    const where = path ? cells[path].b : null;
    const image = where ? pages[String(where[0])] : null;
    const pane = $("page-pane");
    if (!image) {
      pane.hidden = true;
      return;
    }
    pane.hidden = false;
    const img = $("page-img");
    if (img.getAttribute("src") !== image.src) img.setAttribute("src", image.src);
    $("page-note").textContent = "第 " + where[0] + " 页";
    const box = $("page-box");
    const pct = (v, whole) => (100 * v) / whole + "%";
    box.style.left = pct(where[1], image.w);
    box.style.top = pct(where[2], image.h);
    box.style.width = pct(where[3] - where[1], image.w);
    box.style.height = pct(where[4] - where[2], image.h);
    const scroller = $("page-scroll");
    const centre = () => {
      scroller.scrollTop = Math.max(0, box.offsetTop + box.offsetHeight / 2 - scroller.clientHeight / 2);
    };
    if (img.complete) centre();
    else img.addEventListener("load", centre, { once: true });
  }

  // ------------------------------------------------------------------ selection and editing
  function select(path, focusValue) {
    const previous = selected;
    selected = path;
    if (previous) paintCell(previous);
    paintCell(path);
    const td = tdOf.get(path);
    if (td) td.scrollIntoView({ block: "nearest", inline: "nearest" });
    const c = cells[path];
    $("cell-name").textContent = c.d;
    const lines = ["证据：" + (data.levelNames[c.l] || c.l) + "　值：" + (c.v === null ? "空" : c.v)];
    if (c.w) lines.push("原因：" + c.w);
    if (c.r) lines.push("已复核：" + (c.r.by || "") + " " + (c.r.at || "") + " " + (c.r.why || "") + "（原值 " + fmt(c.r.old) + "）");
    if (!c.s) lines.push(c.n ? "原文中没有定位到这个单元格；右侧标出它前后两个已定位单元格之间的原文" : "原文中没有定位到这个单元格");
    const vs = violationCells.get(path) || [];
    for (const i of vs) lines.push("勾稽关系：" + data.violations[i].message);
    $("cell-info").textContent = lines.join("\n");
    const box = $("candidates");
    box.textContent = "";
    (c.c || []).forEach((value, i) => {
      const b = el("button", { type: "button", "data-i": i, class: "cand" }, (i < 9 ? i + 1 + "：" : "") + value);
      b.addEventListener("click", () => pick(i));
      box.appendChild(b);
    });
    const edit = corrections.get("cell:" + path);
    $("value").value = edit ? (edit.new === null ? "-" : String(edit.new)) : "";
    showSource(path);
    showPage(path);
    if (focusValue) $("value").focus();
  }

  function reviewer() {
    return $("reviewer").value.trim() || null;
  }

  function setValue(path, value, reason) {
    const c = cells[path];
    corrections.set("cell:" + path, {
      sha256: data.source.sha256,
      source: data.source.path,
      cell: path,
      old: c.v,
      new: value,
      reason: reason,
      reviewer: reviewer(),
      time: new Date().toISOString(),
    });
    paintCell(path);
    renderCorrections();
  }

  function pick(i) {
    if (!selected) return;
    const cand = cells[selected].c || [];
    if (i >= cand.length) return;
    setValue(selected, cand[i], "选用候选值");
    next(1);
  }

  function parseValue(raw, path) {
    const s = raw.trim().replace(/[,，\s]/g, "").replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
    if (s === "" || s === "-" || s === "/" || s === "—" || s === "无") return { value: null };
    if (!/^[-+]?\d+(\.\d+)?$/.test(s)) return { error: "不是数字：" + raw };
    const n = Number(s);
    const money = path.endsWith("amount_wan_yuan");
    if (!money && !Number.isInteger(n)) return { error: "这里应是整数" };
    if (n < 0 && !path.endsWith("items_change")) return { error: "这里不能是负数" };
    return { value: n };
  }

  $("value-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!selected) return;
    const parsed = parseValue($("value").value, selected);
    if (parsed.error) {
      $("cell-info").textContent = parsed.error;
      return;
    }
    setValue(selected, parsed.value, "人工填写");
    $("value").blur();
    next(1);
  });
  $("confirm").addEventListener("click", () => confirmCell());

  function confirmCell() {
    if (!selected) return;
    setValue(selected, cells[selected].v, "原值无误");
    next(1);
  }

  function next(step) {
    if (!walk.length) return;
    let i = walk.indexOf(selected);
    if (i < 0) {
      const all = [...tdOf.keys()];
      const at = all.indexOf(selected);
      i = step > 0 ? walk.findIndex((p) => all.indexOf(p) > at) - 1 : walk.findIndex((p) => all.indexOf(p) >= at);
      if (i < -1) i = step > 0 ? -1 : walk.length;
    }
    i = (i + step + walk.length) % walk.length;
    select(walk[i], false);
  }

  tablesRoot.addEventListener("click", (event) => {
    const td = event.target.closest("td.cell");
    if (td) select(td.dataset.p, false);
  });
  tablesRoot.addEventListener("mouseover", (event) => {
    const td = event.target.closest("td.cell");
    if (td) showSource(td.dataset.p);
  });
  tablesRoot.addEventListener("mouseleave", () => showSource(selected));

  // ------------------------------------------------------------------ violations and warnings
  function flash(paths) {
    for (const p of paths) {
      const td = tdOf.get(p);
      if (!td) continue;
      td.classList.remove("flash");
      void td.offsetWidth;
      td.classList.add("flash");
    }
  }

  function violationKey(v) {
    return "viol:" + v.check + ":" + (v.cell || v.row || "");
  }

  function activate(i) {
    activeViolation = i;
    document.querySelectorAll("#violations li").forEach((li, j) => li.classList.toggle("active", j === i));
    const v = data.violations[i];
    if (v.cells.length) select(v.cells[0], false);
    flash(v.cells);
  }

  function confirmViolation(i) {
    const v = data.violations[i];
    corrections.set(violationKey(v), {
      sha256: data.source.sha256,
      source: data.source.path,
      violation: { check: v.check, cell: v.cell, row: v.row },
      reason: "原文如此",
      reviewer: reviewer(),
      time: new Date().toISOString(),
    });
    renderViolations();
    renderCorrections();
  }

  function renderViolations() {
    const list = $("violations");
    list.textContent = "";
    if (!data.violations.length) list.appendChild(el("li", { class: "none" }, "全部勾稽关系成立"));
    data.violations.forEach((v, i) => {
      const confirmed = corrections.has(violationKey(v));
      const li = el("li", { class: (i === activeViolation ? "active " : "") + (confirmed ? "confirmed" : "") }, v.message);
      li.appendChild(el("span", { class: "tag" }, v.checkName));
      li.appendChild(el("span", { class: "tag" }, confirmed ? "已确认原文如此" : v.verdictName));
      if (!confirmed && v.verdict !== "source") {
        const b = el("button", { type: "button", class: "confirm-violation" }, "原文如此");
        b.addEventListener("click", (event) => {
          event.stopPropagation();
          confirmViolation(i);
        });
        li.appendChild(b);
      }
      li.addEventListener("click", () => activate(i));
      list.appendChild(li);
    });
  }
  renderViolations();

  const warnings = $("warnings");
  if (!data.warnings.length) warnings.appendChild(el("li", { class: "none" }, "无"));
  for (const w of data.warnings) {
    const li = el("li", {}, w.message);
    li.appendChild(el("span", { class: "tag" }, w.check));
    li.addEventListener("click", () => {
      if (w.cells.length) select(w.cells[0], false);
      flash(w.cells);
    });
    warnings.appendChild(li);
  }

  // ------------------------------------------------------------------ the corrections file
  function renderCorrections() {
    const list = $("corrections");
    list.textContent = "";
    for (const [key, c] of corrections) {
      const what = c.cell ? cells[c.cell].d + "：" + (fmt(c.old) || "空") + " → " + (fmt(c.new) || "空") : c.violation.check + " " + (c.violation.cell || c.violation.row) + "：原文如此";
      const li = el("li", {}, what + "（" + c.reason + "）");
      const undo = el("button", { type: "button", title: "撤销" }, "撤销");
      undo.addEventListener("click", () => {
        corrections.delete(key);
        if (c.cell) paintCell(c.cell);
        renderViolations();
        renderCorrections();
      });
      li.appendChild(undo);
      list.appendChild(li);
    }
    const reviewedCount = walk.filter((p) => corrections.has("cell:" + p)).length;
    $("count").textContent = corrections.size + " 条 · 已复核存疑单元格 " + reviewedCount + " / " + walk.length;
    $("export").disabled = corrections.size === 0;
  }
  renderCorrections();

  try {
    $("reviewer").value = window.localStorage.getItem("giar-reviewer") || "";
  } catch (e) {
    /* storage may be unavailable for file:// pages */
  }
  $("reviewer").addEventListener("change", () => {
    try {
      window.localStorage.setItem("giar-reviewer", $("reviewer").value.trim());
    } catch (e) {
      /* ignore */
    }
  });

  $("export").addEventListener("click", () => {
    const who = reviewer();
    const items = [...corrections.values()].map((c) => Object.assign({}, c, { reviewer: c.reviewer || who }));
    const body = JSON.stringify({ version: 1, corrections: items }, null, 2) + "\n";
    const blob = new Blob([body], { type: "application/json" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "corrections-" + (data.source.sha256 || "report").slice(0, 12) + ".json" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });

  // ------------------------------------------------------------------ keyboard
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) {
      if (event.key === "Escape") target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    if (key === "n" || key === "j") next(1);
    else if (key === "p" || key === "k") next(-1);
    else if (key === "Enter" || key === "e") {
      if (selected) $("value").focus();
    } else if (key === "c") confirmCell();
    else if (key === "o") {
      if (activeViolation >= 0) confirmViolation(activeViolation);
    } else if (/^[1-9]$/.test(key) && selected && (cells[selected].c || []).length >= Number(key)) pick(Number(key) - 1);
    else if (/^[0-9-]$/.test(key) && selected) {
      $("value").value = "";
      $("value").focus();
      return; // the key types into the value box
    } else return;
    event.preventDefault();
  });

  if (walk.length) select(walk[0], false);
  document.body.dataset.ready = "1";
})();
