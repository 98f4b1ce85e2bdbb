/* The "tariffs in force" page module: one `tariffs` job (POST /api/jobs), the JSON of
 * `tradewar tariffs … --json` (rows with date, importer, exporter, sector, rate_pct, weights)
 * plus the rows of its --chart: a time-series chart (the US average effective rate and US↔China
 * both ways, February 2025 to the latest dated step), the chosen pair by sector, a table with
 * sector names beside codes, notes and sources. Rates in percent, trade-weighted at pre-shock
 * weights; weights in billions of USD. Uses window.tradewar's helpers. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var CHART_NAMES = { "USA WORLD": "US on the world (import-weighted)", "USA CHN": "US on China", "CHN USA": "China on the US" };
  var RATE_AXIS = "tariff in force, % (trade-weighted)";
  var SECTIONS = {
    form:
      '<h2><span class="num">9</span> Tariffs in force</h2>' +
      '<p class="note">The effective tariff of an importer on a partner (or the world) on a date, or at every dated step: ' +
      "statutory rates at their effective dates, with carve-outs, trade-weighted at pre-shock weights (as <code>tradewar tariffs</code>).</p>" +
      '<div class="grid2">' +
      '<label class="field">Importer <select id="tariffs-importer" data-field="importer"><option value="USA">USA</option><option value="CHN">CHN</option><option value="CAN">CAN</option></select></label>' +
      '<label class="field">Partner <input id="tariffs-exporter" value="CHN" list="codes" data-field="exporter" autocomplete="off" placeholder="ISO3, EU27 or WORLD"></label>' +
      "</div>" +
      '<label class="field">Date <input id="tariffs-date" value="latest" data-field="date" autocomplete="off" placeholder="YYYY-MM-DD from 2025-01-01, or latest"></label>' +
      '<label class="check"><input type="checkbox" id="tariffs-series" checked> every dated step from 2025-01-01 to the date</label>' +
      '<label class="check"><input type="checkbox" id="tariffs-by-sector"> by sector (ICIO goods sectors)</label>' +
      '<button type="button" id="run-tariffs" class="small">Show tariffs in force</button>',
    view:
      '<div class="run-head"><h2 id="tariffs-title">Tariffs in force</h2><p class="summary" id="tariffs-summary"></p>' +
      '<p class="lede">Statutory rates in force at their effective dates, with carve-outs, weighted by pre-shock imports (docs/tariffs.md); percent.</p></div>' +
      '<div class="card"><h3>Over time: the US average and US ↔ China</h3><div id="tariffs-chart" class="chart"></div></div>' +
      '<div class="card" id="tariffs-sectors-card" hidden><h3 id="tariffs-sectors-title">By sector</h3><div id="tariffs-sectors" class="chart"></div></div>' +
      '<div class="card"><h3>Rows</h3><p class="note">Rate in force and points added since 2025-01-01, %; weight: the pre-shock imports that weight the rate, bn USD.</p>' +
      '<div class="table-wrap"><table id="tariffs-table" class="data"></table></div></div>' +
      '<details class="card"><summary>Notes and sources</summary><ul id="tariffs-notes"></ul><ul id="tariffs-sources" class="note"></ul></details>',
  };

  function request() {
    return {
      kind: "tariffs",
      importer: $("tariffs-importer").value,
      exporter: $("tariffs-exporter").value.trim().toUpperCase(),
      date: $("tariffs-date").value.trim() || "latest",
      series: $("tariffs-series").checked,
      by_sector: $("tariffs-by-sector").checked,
      chart: true,
    };
  }

  function pairName(importer, exporter) {
    return CHART_NAMES[importer + " " + exporter] || importer + " on " + (exporter === "WORLD" ? "the world" : exporter);
  }

  function lines(rows, extra) {  // step lines of the goods rows, one per importer → exporter pair
    var tw = window.tradewar, groups = {}, order = [];
    rows.concat(extra || []).forEach(function (r) {
      if (r.sector !== "goods") return;
      var key = r.importer + " " + r.exporter;
      if (!groups[key]) { groups[key] = []; order.push(key); }
      groups[key].push(r);
    });
    var end = order.reduce(function (m, key) {
      return groups[key].reduce(function (n, r) { return r.date > n ? r.date : n; }, m);
    }, "");
    return order.map(function (key, k) {
      var part = groups[key].slice().sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; });
      var name = pairName(part[0].importer, part[0].exporter);
      var x = part.map(function (r) { return r.date; }), y = part.map(function (r) { return r.rate_pct; });
      var marker = x.map(function () { return 6; });
      if (x[x.length - 1] < end) { x.push(end); y.push(y[y.length - 1]); marker.push(0); }  // a rate holds until its layer's next step
      return { type: "scatter", mode: "lines+markers", line: { shape: "hv", color: tw.SERIES[k % tw.SERIES.length] },
        marker: { size: marker }, name: name, x: x, y: y,
        hovertemplate: "%{x}: %{y:.1f} %<extra>" + name + "</extra>" };
    });
  }

  function drawChart(result, body) {
    var tw = window.tradewar;
    var chartRows = result.chart ? result.chart.rows : [];
    var own = body.series && !CHART_NAMES[body.importer + " " + body.exporter] ? result.rows : [];
    Plotly.react("tariffs-chart", lines(chartRows, own), tw.layout({ height: 360, margin: { l: 70, r: 10, t: 30, b: 50 },
      legend: { orientation: "h", y: 1.12, x: 0 }, hovermode: "x unified",
      xaxis: { type: "date", title: { text: "date (effective)" } },
      yaxis: { title: { text: RATE_AXIS }, ticksuffix: " %", rangemode: "tozero" } }), tw.PLOT_CONFIG);
  }

  function drawSectors(result, body) {
    var tw = window.tradewar;
    var last = result.rows.length ? result.rows[result.rows.length - 1].date : null;
    var rows = result.rows.filter(function (r) { return r.sector !== "goods" && r.date === last; });
    $("tariffs-sectors-card").hidden = !rows.length;
    if (!rows.length) return;
    $("tariffs-sectors-title").textContent = "By sector on " + last + ": " + pairName(body.importer, body.exporter);
    var labels = rows.map(function (r) { return r.sector + " " + (result.sector_labels[r.sector] || ""); });
    Plotly.react("tariffs-sectors", [
      { type: "bar", orientation: "h", name: "in force on 2025-01-01", y: labels, x: rows.map(function (r) { return r.start_pct; }),
        marker: { color: "#9ca3af" }, hovertemplate: "%{y}: %{x:.1f} %<extra>2025-01-01</extra>" },
      { type: "bar", orientation: "h", name: "added since", y: labels, x: rows.map(function (r) { return r.increase_pct; }),
        marker: { color: tw.SERIES[1] }, hovertemplate: "%{y}: +%{x:.1f} points<extra>added</extra>" }],
    tw.layout({ barmode: "stack", height: Math.max(320, 22 * rows.length + 80), margin: { l: 10, r: 20, t: 30, b: 50 },
      legend: { orientation: "h", y: 1.06, x: 0 }, yaxis: { automargin: true, autorange: "reversed", type: "category" },
      xaxis: { title: { text: RATE_AXIS }, ticksuffix: " %" } }), tw.PLOT_CONFIG);
  }

  function left(td) {  // a cell of text: left-aligned (CSSOM: allowed by the CSP)
    td.style.textAlign = "left";
    return td;
  }

  function drawTable(result) {
    var tw = window.tradewar, el = tw.el;
    var cell = function (key, value, text) { return el("td", { dataset: { key: key, value: String(value) }, text: text }); };
    var head = el("tr", {}, ...["date", "importer → partner", "sector", "rate in force, %", "since 2025-01-01, points", "weight, bn USD"]
      .map(function (t) { return el("th", { scope: "col", text: t }); }));
    var body = el("tbody", {}, ...result.rows.map(function (r) {
      var name = result.sector_labels[r.sector];
      return el("tr", { dataset: { date: r.date, sector: r.sector } },
        el("td", { dataset: { key: "date" }, text: r.date }),
        el("td", { dataset: { key: "pair" }, text: r.importer + " → " + r.exporter }),
        left(el("td", { dataset: { key: "sector", value: r.sector }, text: r.sector + (name && name !== r.sector ? " " + name : "") })),
        cell("rate_pct", r.rate_pct, tw.fmt(r.rate_pct, 1, true)),
        cell("increase_pct", r.increase_pct, tw.fmt(r.increase_pct, 1)),
        cell("weights_musd", r.weights_musd, tw.fmt(r.weights_musd / 1000, 1, true)));
    }));
    $("tariffs-table").replaceChildren(el("thead", {}, head), body);
  }

  function summary(result, body) {
    var goods = result.rows.filter(function (r) { return r.sector === "goods"; });
    if (!goods.length) return "";
    var tw = window.tradewar, last = goods[goods.length - 1];
    var peak = goods.reduce(function (a, b) { return b.rate_pct > a.rate_pct ? b : a; });
    var asked = body.date !== "latest" && body.date !== last.date ? body.date + " (the rates of the step of " + last.date + ")" : last.date;
    var text = pairName(body.importer, body.exporter) + ": " + tw.fmt(last.rate_pct, 1, true) + " % in force on " + asked +
      " (" + tw.fmt(last.increase_pct, 1) + " points since 2025-01-01, weighted by " + last.weights + ").";
    if (goods.length > 1 && peak !== last) text += " Highest: " + tw.fmt(peak.rate_pct, 1, true) + " % on " + peak.date + ".";
    return text;
  }

  function draw(result, body) {
    var tw = window.tradewar, el = tw.el;
    $("tariffs-title").textContent = "Tariffs in force: " + pairName(body.importer, body.exporter);
    $("tariffs-summary").textContent = summary(result, body);
    tw.showView("tariffs-view");
    drawChart(result, body);
    drawSectors(result, body);
    drawTable(result);
    $("tariffs-notes").replaceChildren(...result.notes.map(function (n) { return el("li", { text: n }); }));
    $("tariffs-sources").replaceChildren(...result.sources.map(function (s) { return el("li", { text: "source: " + s }); }));
  }

  window.tradewar.page({ name: "tariffs", form: SECTIONS.form, view: SECTIONS.view, request: request, draw: draw });
})();
