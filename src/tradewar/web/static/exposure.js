/* The exposure page module: one `exposure` job (POST /api/jobs), its rows as a chart over the
 * years and a sortable table, and its `map` (tradewar.analysis.exposure_map of one year: every
 * economy's exposure to the partner and the partner's to each) as a choropleth drawn by
 * tradewar.choropleth. Uses the helpers app.js exports as window.tradewar. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var MEASURES = [
    { key: "value_added_absorbed_pct_gdp", label: "value added absorbed, % GDP" },
    { key: "gross_exports_pct_gdp", label: "gross exports, % GDP" },
    { key: "partner_share_of_exports_pct", label: "partner's share of exports, %", unsigned: true },
  ];

  function years(text) {  // "2000-2022" | "2014, 2022" | "" (the baseline's year)
    text = String(text || "").trim();
    if (!text) return null;
    var range = text.match(/^(\d{4})\s*[-–]\s*(\d{4})$/);
    if (range) {
      var out = [];
      for (var y = Number(range[1]); y <= Number(range[2]); y++) out.push(y);
      return out;
    }
    return text.split(/[\s,;]+/).filter(function (s) { return s; }).map(Number);
  }

  function request() {
    var body = { kind: "exposure" };
    var exporter = $("exposure-exporter").value.trim().toUpperCase();
    var partner = $("exposure-partner").value.trim().toUpperCase();
    if (exporter) body.exporter = exporter;
    if (partner) body.partner = partner;
    var ys = years($("exposure-years").value);
    if (ys) body.years = ys;
    var mapYear = $("exposure-map-year").value.trim();
    if (mapYear) body.map_year = /^\d+$/.test(mapYear) ? Number(mapYear) : mapYear;  // the server names a bad one
    return body;
  }

  var MAP_MEASURES = { value_added_absorbed_pct_gdp: "value added absorbed", gross_exports_pct_gdp: "gross exports" };
  var shownMap = null;

  function drawMap() {  // result.map, by the chosen direction and measure
    var tw = window.tradewar, m = shownMap;
    var card = $("exposure-map-card");
    card.hidden = !m;
    if (!m) return;
    var key = $("exposure-map-measure").value, label = MAP_MEASURES[key];
    var toPartner = $("exposure-map-direction").value === "to", p = m.partner;
    var locs = [], z = [], text = [];
    m.rows.forEach(function (r) {
      var other = toPartner ? r.exporter : r.partner;
      if ((toPartner ? r.partner : r.exporter) !== p || typeof r[key] !== "number" || !/^[A-Z]{3}$/.test(other) || other === "ROW") return;
      locs.push(other); z.push(r[key]);
      text.push("<b>" + tw.esc(other) + "</b><br>" + (toPartner
        ? tw.esc(label) + (key === "gross_exports_pct_gdp" ? " to " : " by ") + tw.esc(p) + ": " + tw.fmt(r[key], 2, true) + " % of " + tw.esc(other) + "’s GDP"
        : tw.esc(p) + "’s " + tw.esc(label) + (key === "gross_exports_pct_gdp" ? " to it: " : " by it: ") + tw.fmt(r[key], 2, true) + " % of " + tw.esc(p) + "’s GDP"));
    });
    var top = Math.max.apply(null, z.concat([1e-6]));
    $("exposure-map-title").textContent = (toPartner ? "Each economy’s exposure to " + p : p + "’s exposure to each economy") +
      ", " + label + ", " + m.dataset + " " + m.year;
    tw.choropleth("exposure-map", [
      { locations: locs, z: z, text: text, zmin: 0, zmax: top, colorscale: tw.SEQUENTIAL,
        title: label + ", % of " + (toPartner ? "the economy’s" : p + "’s") + " GDP" },
      { locations: [p], z: [1], text: ["<b>" + tw.esc(p) + "</b><br>the partner"], zmin: 0, zmax: 1,
        colorscale: [[0, "#e08214"], [1, "#e08214"]] }
    ], { height: 420 });
  }

  function reading(rows, series) {  // the one-line reading above the chart
    var key = MEASURES[0].key, tw = window.tradewar;
    var order = { wiod: 0, icio: 1 };
    var valid = rows.filter(function (r) { return typeof r[key] === "number"; })
      .sort(function (a, b) { return a.year - b.year || (order[a.dataset] || 0) - (order[b.dataset] || 0); });
    if (!valid.length) return "";
    if (series) {
      var first = valid[0], last = valid[valid.length - 1];
      var peak = valid.reduce(function (a, b) { return b[key] > a[key] ? b : a; });
      return first.exporter + "’s value added absorbed by " + first.partner + "’s final demand: " + tw.fmt(first[key], 2, true) +
        " % of its GDP in " + first.year + " (" + first.dataset + ") → " + tw.fmt(last[key], 2, true) + " % in " + last.year +
        " (" + last.dataset + "); highest " + tw.fmt(peak[key], 2, true) + " % in " + peak.year + " (" + peak.dataset + ").";
    }
    var top = valid.reduce(function (a, b) { return b[key] > a[key] ? b : a; });
    return "Most dependent: " + top.exporter + " on " + top.partner + ", value added absorbed " + tw.fmt(top[key], 2, true) +
      " % of " + top.exporter + "’s GDP (" + top.dataset + " " + top.year + ").";
  }

  function draw(result, body) {
    var tw = window.tradewar;
    var rows = result.rows;
    tw.showView("exposure-view");  // before plotting: charts drawn in a hidden view keep plotly's default width
    var title = (body.exporter || "every economy") + " → " + (body.partner || "every partner");
    $("exposure-title").textContent = "Exposure: " + title;
    var series = rows.length > 1 && rows.every(function (r) { return r.exporter === rows[0].exporter && r.partner === rows[0].partner; });
    var traces = [];
    if (series) {
      ["wiod", "icio"].forEach(function (ds, k) {
        var part = rows.filter(function (r) { return r.dataset === ds; });
        if (!part.length) return;
        MEASURES.slice(0, 2).forEach(function (m, j) {
          traces.push({ type: "scatter", mode: "lines+markers", name: m.label + " (" + ds + ")",
            x: part.map(function (r) { return r.year; }), y: part.map(function (r) { return r[m.key]; }),
            line: { color: tw.SERIES[j], dash: k ? "solid" : "dot" },
            hovertemplate: ds + " %{x}: %{y:.2f} %<extra>" + m.label + "</extra>" });
        });
      });
    } else {
      var top = rows.slice().sort(function (a, b) { return b.value_added_absorbed_pct_gdp - a.value_added_absorbed_pct_gdp; }).slice(0, 20);
      traces.push({ type: "bar", name: MEASURES[0].label, marker: { color: tw.SERIES[0] },
        x: top.map(function (r) { return r.exporter + " → " + r.partner; }), y: top.map(function (r) { return r[MEASURES[0].key]; }),
        hovertemplate: "%{x}: %{y:.2f} %<extra></extra>" });
    }
    tw.plot("exposure-chart", traces, { height: 340, margin: { l: 60, r: 10, t: 30, b: 60 },
      legend: { orientation: "h", y: 1.15, x: 0 },
      xaxis: { type: series ? "linear" : "category", title: { text: series ? "year" : "exporter → partner (20 largest)" } },
      yaxis: { ticksuffix: " %", rangemode: "tozero", title: { text: "% of the exporter’s GDP" } } });
    $("exposure-summary").textContent = reading(rows, series);
    var columns = [{ key: "country", label: "exporter → partner", text: true }, { key: "dataset", label: "dataset", text: true },
      { key: "year", label: "year", text: true }].concat(MEASURES.map(function (m) { return { key: m.key, label: m.label, unsigned: true }; }));
    var table = rows.map(function (r) { return Object.assign({ country: r.exporter + " → " + r.partner }, r, { year: String(r.year) }); });
    tw.table("exposure-table", columns, table, { key: series ? "year" : MEASURES[0].key, dir: series ? 1 : -1 });
    shownMap = result.map || null;
    drawMap();
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("exposure-map-direction").addEventListener("change", drawMap);
    $("exposure-map-measure").addEventListener("change", drawMap);
  });

  window.tradewar.page({ name: "exposure", request: request, draw: draw });  // form and view: index.html
})();
