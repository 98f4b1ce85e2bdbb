/* The coalitions page module: one `coalitions` job (POST /api/jobs) — leverage against
 * coalition size, the allies' Shapley values, the stable coalitions as reliability varies, and
 * the table of every coalition. Adds its own form (in the sidebar) and view (in <main>); uses
 * the helpers app.js exports as window.tradewar. Money in billions of USD, welfare in %. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var SECTIONS = {
    form:
      '<h2><span class="num">5</span> Coalitions</h2>' +
      '<p class="note">Does an allied front build leverage over a target, and which fronts hold ' +
      "together? Every coalition of the allies with the leader (one job; regions only, at most 10 allies).</p>" +
      '<div class="grid2">' +
      '<label class="field">Leader <input id="coalitions-leader" value="USA" data-field="leader" autocomplete="off"></label>' +
      '<label class="field">Target <input id="coalitions-target" value="CHN" data-field="target" autocomplete="off"></label>' +
      "</div>" +
      '<label class="field">Allies (codes or blocs, comma separated) <input id="coalitions-allies" value="JPN, KOR, EU27" data-field="allies" autocomplete="off"></label>' +
      '<div class="grid2">' +
      '<label class="field">Tariff added, points <input id="coalitions-tariff" type="number" step="5" min="0" max="200" value="50"></label>' +
      '<label class="field">Reliability p (0–1) <input id="coalitions-reliability" type="number" step="0.05" min="0" max="1" value="1" data-field="reliability"></label>' +
      '<label class="field">Sectors <select id="coalitions-sectors"><option value="goods">goods</option><option value="all">all</option></select></label>' +
      '<label class="field">Target’s retaliation <select id="coalitions-retaliation"><option value="mirror">mirror</option><option value="none">none</option><option value="optimal">optimal (≤ 3 allies)</option></select></label>' +
      '<label class="field">Leader’s tariffs on allies <select id="coalitions-us-tariffs" data-field="us_tariffs_on_allies"><option value="none">none (allied front)</option><option value="america-first">america-first</option></select></label>' +
      '<label class="field">Regions <select id="coalitions-regions"><option value="g14">g14</option><option value="blocs">blocs</option></select></label>' +
      window.tradewar.horizonField("coalitions") +
      "</div>" +
      '<button type="button" id="run-coalitions" class="small">Compute coalitions</button>',
    view:
      '<div class="run-head"><h2 id="coalitions-title">Coalitions</h2>' +
      '<p class="summary" id="coalitions-summary"></p>' +
      '<p class="note" id="coalitions-sectors"></p></div>' +
      '<div class="card"><h3>Leverage by coalition size</h3><div id="coalitions-leverage" class="chart"></div></div>' +
      '<div class="card"><h3>Allies’ Shapley values</h3><div id="coalitions-shapley" class="chart fit"></div>' +
      '<div class="table-wrap"><table id="coalitions-shapley-table" class="data"></table></div></div>' +
      '<div class="card"><h3>Stable coalitions as reliability varies</h3><div id="coalitions-stable" class="chart"></div></div>' +
      '<div class="card"><h3>Every coalition</h3><p class="note">Changes from the status quo; money in billions of USD; ' +
      "leverage = the target’s real-income loss per USD lost by the coalition.</p>" +
      '<div class="table-wrap"><table id="coalitions-table" class="data"></table></div></div>',
  };

  function request() {
    var allies = $("coalitions-allies").value.split(/[\s,;]+/).map(function (s) { return s.trim().toUpperCase(); })
      .filter(function (s) { return s; });
    return {
      kind: "coalitions",
      leader: $("coalitions-leader").value.trim().toUpperCase(),
      target: $("coalitions-target").value.trim().toUpperCase(),
      allies: allies,
      tariff: Number($("coalitions-tariff").value) / 100,
      reliability: Number($("coalitions-reliability").value),
      sectors: $("coalitions-sectors").value,
      retaliation: $("coalitions-retaliation").value,
      us_tariffs_on_allies: $("coalitions-us-tariffs").value,
      regions: $("coalitions-regions").value,
      horizon: $("coalitions-horizon").value,
    };
  }

  function draw(result, body) {
    var tw = window.tradewar;
    var target = result.target;
    var s = result.settings;
    $("coalitions-title").textContent = result.leader + " + allies against " + target + " (" + tw.horizonText(body.horizon) + ")";
    var rows = result.coalitions.map(function (c) { return Object.assign({ country: c.members.join(" + ") }, c); });
    var best = rows.filter(function (r) { return r.leverage !== null; })
      .sort(function (a, b) { return b.leverage - a.leverage; })[0];
    var grand = rows[rows.length - 1];
    $("coalitions-summary").textContent = "+" + tw.fmt(100 * s.tariff, 0, true) + " points on " + target +
      " (" + s.retaliation + " retaliation, reliability " + s.reliability + "). The grand coalition costs " + target + " " +
      tw.fmt(grand.target_welfare_pct, 2) + " % of its real income" +
      (best ? "; the most leverage: " + best.country + " (" + tw.fmt(best.leverage, 2, true) + ")" : "") +
      ". Stable at p = " + s.reliability + ": " + (result.stable.map(function (m) { return m.join(" + "); }).join("; ") || "none") + ".";
    $("coalitions-sectors").textContent = "Members tariff " + target + "’s " + s.sectors.map(function (code) {
      return code + " " + (result.sector_labels[code] || code);
    }).join(" · ");

    var finite = rows.filter(function (r) { return r.leverage !== null; });
    var sizes = Array.from(new Set(finite.map(function (r) { return r.size; }))).sort(function (a, b) { return a - b; });
    var median = sizes.map(function (n) {
      var v = finite.filter(function (r) { return r.size === n; }).map(function (r) { return r.leverage; }).sort(function (a, b) { return a - b; });
      var m = v.length >> 1;
      return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
    });
    tw.plot("coalitions-leverage", [
      { type: "scatter", mode: "markers", name: "coalition", x: finite.map(function (r) { return r.size; }),
        y: finite.map(function (r) { return r.leverage; }), text: finite.map(function (r) { return r.country; }),
        marker: { color: tw.SERIES[0], opacity: 0.6 }, hovertemplate: "%{text}: %{y:.3f}<extra></extra>" },
      { type: "scatter", mode: "lines+markers", name: "median", x: sizes, y: median, line: { color: tw.SERIES[1] } },
    ], { height: 320, margin: { l: 60, r: 10, t: 30, b: 50 }, legend: { orientation: "h", y: 1.15, x: 0 },
      xaxis: { title: { text: "allies in the coalition (the leader is always in)" }, dtick: 1 },
      yaxis: { title: { text: "leverage (USD " + target + " loses per USD)" }, rangemode: "tozero" } });

    var allies = result.allies.slice().sort(function (a, b) { return (result.shapley[a] || 0) - (result.shapley[b] || 0); });
    tw.plot("coalitions-shapley", [{ type: "bar", orientation: "h", marker: { color: tw.SERIES[0] },
      y: allies, x: allies.map(function (a) { return result.shapley[a] === null ? null : result.shapley[a] / 1000; }),
      text: allies.map(function (a) { return tw.fmt(result.shapley_pct[a], 3, true) + " pp"; }), textposition: "auto",
      hovertemplate: "%{y}: %{x:.1f} bn USD<extra></extra>" }],
    { height: 60 + 32 * allies.length, margin: { l: 60, r: 10, t: 10, b: 50 },
      xaxis: { title: { text: "Shapley value: contribution to " + target + "’s real-income loss, bn USD" } } });
    var shapRows = result.allies.map(function (a) {
      return { country: a, shapley_musd: result.shapley[a], shapley_pct: result.shapley_pct[a],
        min_reliability: result.min_reliability[a] };
    });
    var shapCols = [{ key: "country", label: "ally", text: true },
      { key: "shapley_musd", label: "Shapley value, bn USD", bn: true, unsigned: true },
      { key: "shapley_pct", label: "Shapley value, points of " + target + "’s real income", unsigned: true },
      { key: "min_reliability", label: "least reliability to stay in the grand coalition", unsigned: true }];
    tw.table("coalitions-shapley-table", shapCols, shapRows, { key: "shapley_musd", dir: -1 });

    var xs = [], ys = [], texts = [];
    result.stable_by_reliability.forEach(function (r) {
      r.stable.forEach(function (members) { xs.push(r.reliability); ys.push(members.length - 1); texts.push(members.join(" + ")); });
    });
    tw.plot("coalitions-stable", [{ type: "scatter", mode: "markers", x: xs, y: ys, text: texts,
      marker: { color: tw.SERIES[0], size: 9 }, hovertemplate: "p = %{x}: %{text}<extra></extra>" }],
    { height: 300, margin: { l: 60, r: 10, t: 10, b: 50 },
      xaxis: { title: { text: "reliability p (probability the promised relief is kept)" }, range: [-0.03, 1.03] },
      yaxis: { title: { text: "allies in a stable coalition (count)" }, dtick: 1, rangemode: "tozero" } });

    var columns = [{ key: "country", label: "coalition", text: true },
      { key: "target_welfare_pct", label: target + " welfare, %" },
      { key: "target_loss_musd", label: target + " loss, bn USD", bn: true, unsigned: true },
      { key: "coalition_loss_musd", label: "coalition loss, bn USD", bn: true, unsigned: true },
      { key: "leverage", label: "leverage, USD per USD", unsigned: true }];
    tw.table("coalitions-table", columns, rows, { key: "leverage", dir: -1 });
  }

  window.tradewar.page({ name: "coalitions", form: SECTIONS.form, view: SECTIONS.view, request: request, draw: draw });
})();
