"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const $ = (id) => document.getElementById(id);
  const rows = data.rows;
  const SOURCE = 0, STATUS = 1, DOUBTFUL = 2, VIOLATIONS = 3, AGENCY = 5, YEAR = 6, REVIEWED = 7, PAGE = 8;
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const base = (p) => String(p).replace(/\\/g, "/").split("/").pop();
  const haystack = rows.map((r) => (r[SOURCE] + " " + (r[AGENCY] || "") + " " + (r[YEAR] || "")).toLowerCase());

  $("heading").textContent = data.title;
  const counts = {};
  for (const r of rows) counts[r[STATUS]] = (counts[r[STATUS]] || 0) + 1;
  $("counts").textContent = "共 " + rows.length + " 份 · " + Object.entries(data.statusNames).map(([k, n]) => n + " " + (counts[k] || 0)).join(" · ");
  for (const [k, n] of Object.entries(data.statusNames)) {
    const o = document.createElement("option");
    o.value = k;
    o.textContent = n + "（" + (counts[k] || 0) + "）";
    $("status-filter").appendChild(o);
  }

  let sortKey = -1, sortDir = 1;
  function compare(a, b) {
    const x = rows[a][sortKey], y = rows[b][sortKey];
    if (x === y) return a - b;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh")) * sortDir;
  }

  function render() {
    const needle = $("filter").value.trim().toLowerCase();
    const status = $("status-filter").value;
    const onlyDoubtful = $("doubtful-only").checked;
    const order = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (status && r[STATUS] !== status) continue;
      if (onlyDoubtful && !r[DOUBTFUL] && !r[VIOLATIONS]) continue;
      if (needle && !haystack[i].includes(needle)) continue;
      order.push(i);
    }
    if (sortKey >= 0) order.sort(compare);
    current = order;
    $("scroller").scrollTop = 0;
    drawn = "";
    draw();
    $("shown").textContent = "显示 " + order.length + " / " + rows.length;
  }

  // Only the rows in view (and a margin) are in the page: ten thousand laid-out rows would take seconds.
  const ROW = 26;
  const MARGIN = 30;
  let current = [];
  let drawn = "";
  function line(i) {
    const r = rows[i];
    const name = esc(base(r[SOURCE]));
    const link = r[PAGE] ? '<a href="' + esc(r[PAGE]) + '">' + name + "</a>" : name;
    const err = data.errors[i] ? ' title="' + esc(data.errors[i]) + '"' : "";
    return (
      '<tr class="r" data-status="' + esc(r[STATUS]) + '"><td class="st-cell"' + err + '><span class="status st-' + esc(r[STATUS]) + '">' +
      esc(data.statusNames[r[STATUS]] || r[STATUS]) + (r[REVIEWED] ? " · 已复核" : "") + "</span></td>" +
      '<td class="num' + (r[DOUBTFUL] ? " bad" : "") + '">' + r[DOUBTFUL] + "</td>" +
      '<td class="num' + (r[VIOLATIONS] ? " bad" : "") + '">' + r[VIOLATIONS] + "</td>" +
      '<td class="num">' + r[4] + '</td><td title="' + esc(r[AGENCY] || "") + '">' + esc(r[AGENCY] || "") + '</td><td class="num">' + esc(r[YEAR] || "") +
      '</td><td title="' + esc(r[SOURCE]) + '">' + link + "</td></tr>"
    );
  }
  function draw() {
    const scroller = $("scroller");
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - MARGIN);
    const last = Math.min(current.length, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW) + MARGIN);
    const key = first + ":" + last + ":" + current.length;
    if (key === drawn) return;
    drawn = key;
    const spacer = (n) => (n ? '<tr class="spacer"><td colspan="7" style="height:' + n * ROW + 'px"></td></tr>' : "");
    const out = [spacer(first)];
    for (let k = first; k < last; k++) out.push(line(current[k]));
    out.push(spacer(current.length - last));
    $("rows").innerHTML = out.join("");
  }
  $("scroller").addEventListener("scroll", () => window.requestAnimationFrame(draw), { passive: true });
  window.addEventListener("resize", () => {
    drawn = "";
    draw();
  });

  document.querySelectorAll("#list th").forEach((th) => {
    th.addEventListener("click", () => {
      const k = Number(th.dataset.k);
      sortDir = k === sortKey ? -sortDir : 1;
      sortKey = k;
      document.querySelectorAll("#list th").forEach((h) => h.classList.remove("sorted-asc", "sorted-desc"));
      th.classList.add(sortDir > 0 ? "sorted-asc" : "sorted-desc");
      render();
    });
  });
  let timer = 0;
  $("filter").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(render, 120);
  });
  $("status-filter").addEventListener("change", render);
  $("doubtful-only").addEventListener("change", render);
  render();
  void document.body.offsetHeight; // lay the rows out before the page counts as rendered
  document.body.dataset.renderedMs = String(Math.round(performance.now()));
})();
