/* The "How sure are we?" page module: one `uncertainty` job (POST /api/jobs) — the scenario
 * chosen in section 1 (a built-in, or the one built there) over the published trade-elasticity
 * sets and random draws around them, as `tradewar sweep` (the same JSON). Shows a one-line
 * reading, the welfare bars (the baseline's own set) with the 5–95 % band and the median of the
 * converged runs, and tables: every economy (central, median, 5 %, 95 %, min, max, runs), the
 * main pair's bilateral trade, the value under each published set. Welfare in % of real
 * income, trade in % of the pair's exports. Uses window.tradewar's helpers. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var MOST_BARS = 30;  // economies on the chart (the largest changes); the table has every one
  var SECTIONS = {
    form:
      '<h2><span class="num">8</span> How sure are we?</h2>' +
      '<p class="note">The scenario of section 1 (the built-in chosen or the one built) re-run over the published trade-elasticity sets ' +
      "and random draws around them: how wide is the band of each economy’s welfare? (One job, as <code>tradewar sweep</code>.)</p>" +
      '<p class="note" id="uncertainty-scenario"></p>' +
      '<div class="field">Elasticity sets <div id="uncertainty-sets" class="allies" data-field="elasticities"></div></div>' +
      '<div class="grid2">' +
      '<label class="field">Random draws (0–1,000) <input id="uncertainty-draws" type="number" min="0" max="1000" step="1" value="100" data-field="draws"></label>' +
      '<label class="field">Regions <select id="uncertainty-regions" data-field="regions"><option value="g14">g14 (14 regions)</option><option value="blocs">blocs</option><option value="">every economy (slow)</option></select></label>' +
      "</div>" +
      '<details class="more"><summary>Draws: seed and spread</summary><div class="grid2">' +
      '<label class="field">Seed <input id="uncertainty-seed" type="number" min="0" step="1" value="0" data-field="seed"></label>' +
      '<label class="field">σ of log θ <input id="uncertainty-sigma" type="number" min="0" max="1" step="any" value="0.25" data-field="sigma"></label>' +
      "</div></details>" +
      '<button type="button" id="run-uncertainty" class="small">Compute the bands</button>',
    view:
      '<div class="run-head"><h2 id="uncertainty-title">How sure are we?</h2><p class="lede" id="uncertainty-summary"></p>' +
      '<ul id="uncertainty-meta" class="chips"></ul>' +
      '<div class="downloads">Download: <a id="uncertainty-json" download="uncertainty.json">JSON (as <code>tradewar sweep --json</code>)</a></div></div>' +
      '<div class="card"><h3>Welfare change with its band, % of real income</h3>' +
      '<p class="note" id="uncertainty-legend"></p><div id="uncertainty-bars" class="chart"></div></div>' +
      '<div class="card"><h3>Every economy</h3><p class="note" id="uncertainty-table-note"></p>' +
      '<div class="table-wrap"><table id="uncertainty-table" class="data"></table></div></div>' +
      '<div class="card" id="uncertainty-trade-card" hidden><h3>Bilateral trade of the scenario’s main pair</h3>' +
      '<p class="note">Change of the exporter’s exports to the importer, all sectors, %.</p>' +
      '<div class="table-wrap"><table id="uncertainty-trade" class="data"></table></div></div>' +
      '<div class="card"><h3>Under each published elasticity set</h3><p class="note">Welfare change, % of real income.</p>' +
      '<div class="table-wrap"><table id="uncertainty-published" class="data"></table></div></div>' +
      '<details class="card"><summary>The distribution, failed draws and solver</summary><ul id="uncertainty-notes"></ul></details>',
  };

  function builtScenario() {  // what section 1 would run: the built-in chosen or the scenario built
    if ($("tab-custom") && $("tab-custom").getAttribute("aria-selected") === "true") {
      try { return JSON.parse($("custom-json").textContent || "{}"); } catch (e) { return {}; }
    }
    return $("builtin").value;
  }

  function describeScenario() {
    var s = builtScenario();
    $("uncertainty-scenario").textContent = "Scenario: " + (typeof s === "string" ? s + " (built-in)" : (s.name || "unnamed") + " (built in section 1)") +
      "; dataset, year, central elasticity set and deficits from section 2 (long-run horizon: the sets as published).";
  }

  function integer(text) {  // a whole number, or the text as typed (the server names the problem)
    var t = String(text).trim();
    return /^-?\d+$/.test(t) ? Number(t) : t;
  }
  function number(text) {
    var t = String(text).trim().replace(",", ".");
    return t !== "" && isFinite(Number(t)) ? Number(t) : t;
  }

  function request() {
    var sets = Array.from(document.querySelectorAll("#uncertainty-sets input:checked")).map(function (c) { return c.value; });
    return {
      kind: "uncertainty",
      scenario: builtScenario(),
      dataset: $("dataset").value, year: Number($("year").value), elasticity: $("elasticity").value,
      deficits: $("deficits").value,
      horizon: $("horizon") ? $("horizon").value : "long",  // only long: the server says why
      regions: $("uncertainty-regions").value || null,
      elasticities: sets,
      draws: integer($("uncertainty-draws").value),
      seed: integer($("uncertainty-seed").value),
      sigma: number($("uncertainty-sigma").value),
    };
  }

  function runsText(counts) {
    return counts.total - counts.failed + " converged runs: " + counts.published + " published elasticity set" + (counts.published === 1 ? "" : "s") +
      " and " + counts.random + " random draw" + (counts.random === 1 ? "" : "s") + (counts.failed ? " (" + counts.failed + " failed)" : "");
  }

  function band(lo, hi) {  // "loses between 0.49 % and 0.60 %" from the 5 % and 95 % values
    var tw = window.tradewar;
    if (hi < 0) return "loses between " + tw.fmt(-hi, 2, true) + " % and " + tw.fmt(-lo, 2, true) + " %";
    if (lo > 0) return "gains between " + tw.fmt(lo, 2, true) + " % and " + tw.fmt(hi, 2, true) + " %";
    return "changes by between " + tw.fmt(lo, 2) + " % and " + tw.fmt(hi, 2) + " %";
  }

  function summary(result, welfare, order) {
    var tw = window.tradewar;
    var c = result.counts, central = result.baseline.elasticity;
    var valid = order.filter(function (k) { return typeof welfare[k].p05 === "number"; });
    if (!valid.length) return "No draw converged: no band (" + runsText(c) + ").";
    var first = valid[0], w = welfare[first];
    var text = first + " " + band(w.p05, w.p95) + " of real income under " + result.what +
      " (5–95 % band of " + runsText(c) + "; " + tw.fmt(w.central, 2) + " % with the " + central + " set)";
    var last = valid[valid.length - 1];
    if (last !== first && welfare[last].central > 0) {
      text += "; " + last + " " + band(welfare[last].p05, welfare[last].p95);
    }
    return text + ".";
  }

  function drawBars(result, welfare, order) {
    var tw = window.tradewar;
    var shown = order.slice().sort(function (a, b) { return Math.abs(welfare[b].central) - Math.abs(welfare[a].central); }).slice(0, MOST_BARS);
    shown = order.filter(function (k) { return shown.indexOf(k) >= 0; });
    var at = function (key) { return shown.map(function (k) { return welfare[k][key]; }); };
    var central = result.baseline.elasticity;
    var traces = [
      { type: "bar", name: "central (" + central + " set)", x: shown, y: at("central"), width: 0.7,
        marker: { color: at("central").map(function (v) { return v < 0 ? "#d6604d" : "#4393c3"; }) },
        hovertemplate: "%{x}: %{y:+.3f} % (" + central + " set)<extra></extra>" },
      { type: "bar", name: "5–95 % band", x: shown, base: at("p05"), width: 0.22,
        y: shown.map(function (k) { return welfare[k].p95 - welfare[k].p05; }),
        customdata: shown.map(function (k) { return [welfare[k].p05, welfare[k].p95, welfare[k].min, welfare[k].max]; }),
        marker: { color: "rgba(31,35,40,0.55)" },
        hovertemplate: "%{x}: 5–95 % band %{customdata[0]:+.3f} to %{customdata[1]:+.3f} %<br>min–max %{customdata[2]:+.3f} to %{customdata[3]:+.3f} %<extra></extra>" },
      { type: "scatter", mode: "markers", name: "median", x: shown, y: at("median"),
        marker: { symbol: "line-ew-open", size: 16, color: "#1f2328", line: { width: 2 } },
        hovertemplate: "%{x}: median %{y:+.3f} %<extra></extra>" },
    ];
    Plotly.react("uncertainty-bars", traces, tw.layout({ barmode: "overlay", height: 380,
      margin: { l: 70, r: 10, t: 30, b: 50 }, legend: { orientation: "h", y: 1.12, x: 0 },
      xaxis: { type: "category", title: { text: "economy" } },
      yaxis: { title: { text: "welfare change (% of real income)" }, ticksuffix: " %", zeroline: true } }), tw.PLOT_CONFIG);
  }

  var COLUMNS = function (central, first) {
    return [{ key: "country", label: first, text: true },
      { key: "central", label: "central (" + central + "), %" }, { key: "median", label: "median, %" },
      { key: "p05", label: "low (5 %), %" }, { key: "p95", label: "high (95 %), %" },
      { key: "min", label: "min, %" }, { key: "max", label: "max, %" }, { key: "n", label: "runs", text: true }];
  };

  function table(id, columns, entries, sortKey) {
    var tw = window.tradewar;
    var rows = Object.keys(entries).map(function (k) { return Object.assign({ country: k }, entries[k]); });
    var sort = { key: sortKey, dir: 1 };
    var redraw = function () { tw.sortable($(id), columns, rows, sort, redraw); };
    redraw();
  }

  function draw(result) {
    var tw = window.tradewar;
    var welfare = result.summary.welfare_pct || {};
    var order = Object.keys(welfare).sort(function (a, b) {
      var x = welfare[a].central, y = welfare[b].central;
      return (typeof x === "number" ? x : Infinity) - (typeof y === "number" ? y : Infinity);
    });
    var central = result.baseline.elasticity, d = result.distribution, c = result.counts;
    tw.showView("uncertainty-view");  // first: plotly sizes the chart to its visible card
    $("uncertainty-title").textContent = "How sure are we? " + result.what;
    $("uncertainty-summary").textContent = summary(result, welfare, order);
    var b = result.baseline;
    $("uncertainty-meta").replaceChildren.apply($("uncertainty-meta"), [
      b.dataset + " " + b.year, "central set " + central, "regions " + (b.regions || "every economy"),
      "sets " + d.sets.join(", "), d.draws + " draws (seed " + d.seed + ", σ " + d.sigma + ")",
    ].map(function (t) { return tw.el("li", { text: t }); }));
    $("uncertainty-legend").textContent = "Bars: the change with the " + central + " elasticities (as a single run shows it); dark range: " +
      "5–95 % band of the " + runsText(c) + "; tick: their median. Hover for min–max.";
    drawBars(result, welfare, order);
    var link = $("uncertainty-json");  // the job's JSON itself (a data: URL; nothing is fetched)
    link.href = "data:application/json;charset=utf-8," + encodeURIComponent(JSON.stringify(result, null, 2));
    link.download = "uncertainty-" + String(result.what).replace(/[^A-Za-z0-9._-]+/g, "_") + ".json";
    $("uncertainty-table-note").textContent = "Welfare change, % of real income. Low and high: the 5th and 95th percentiles of the " +
      runsText(c) + "; min and max over the same runs; central: the " + central + " set.";
    table("uncertainty-table", COLUMNS(central, "economy"), welfare, "central");
    var trade = result.summary.trade_pct;
    $("uncertainty-trade-card").hidden = !trade;
    if (trade) {
      var pairs = {};
      Object.keys(trade).forEach(function (k) { pairs[k.replace("->", " → ")] = trade[k]; });
      table("uncertainty-trade", COLUMNS(central, "exporter → importer"), pairs, "central");
    }
    var published = {};
    order.forEach(function (k) {
      var row = {};
      d.sets.forEach(function (s) { row[s] = (result.published[s] || {})["welfare_pct." + k]; });
      published[k] = row;
    });
    table("uncertainty-published", [{ key: "country", label: "economy", text: true }].concat(
      d.sets.map(function (s) { return { key: s, label: s + ", %" }; })), published, d.sets[0]);
    var notes = [d.text].concat(result.notes.slice(1)).concat(
      result.failed.slice(0, 5).map(function (f) { return "failed: draw " + f.draw + " (" + f.elasticity_set + "): " + f.error; }),
      ["solver: " + result.solver.chunks + " chunks, " + result.solver.backend + ", " + tw.fmt(result.solver.seconds, 1, true) + " s"]);
    $("uncertainty-notes").replaceChildren.apply($("uncertainty-notes"), notes.map(function (t) { return tw.el("li", { text: t }); }));
  }

  window.tradewar.page({ name: "uncertainty", form: SECTIONS.form, view: SECTIONS.view, draw: draw,
    request: function () { describeScenario(); return request(); } });
  document.addEventListener("DOMContentLoaded", function () {
    ["builtin", "tab-builtin", "tab-custom"].forEach(function (id) {
      if ($(id)) $(id).addEventListener(id === "builtin" ? "change" : "click", describeScenario);
    });
    // the sets' boxes as soon as app.js fills the elasticity select from /api/options (a
    // mutation record is delivered before app.js goes on to restore a state from the URL)
    var sets = function () {
      var names = Array.from($("elasticity").options).map(function (o) { return o.value; });
      if (!names.length || $("uncertainty-set-" + names[0])) return;
      var box = $("uncertainty-sets");
      box.replaceChildren.apply(box, names.map(function (s) {
        return window.tradewar.el("label", {}, window.tradewar.el("input", { type: "checkbox", id: "uncertainty-set-" + s, value: s, checked: true }), s);
      }));
    };
    new MutationObserver(sets).observe($("elasticity"), { childList: true });
    sets();
    new MutationObserver(describeScenario).observe($("builtin"), { childList: true });
  });
})();
