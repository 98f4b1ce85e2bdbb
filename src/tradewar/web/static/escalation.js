/* The escalation page module: one `escalation` job (POST /api/jobs) — the outcome regions over
 * (cost of capitulation d, threat) with the break-even cost d*, d* by threat with and without
 * the allies, and the table by threat. Adds its own form (sidebar) and view (<main>); uses the
 * helpers app.js exports as window.tradewar. Costs and welfare in % of real income. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var OUTCOMES = { concede: "concedes", resist_war: "resists: war", resist_back_down: "resists: leader backs down" };
  var COLORS = ["#2a9d8f", "#e76f51", "#e9c46a"];
  var SECTIONS = {
    form:
      '<h2><span class="num">6</span> Escalation</h2>' +
      '<p class="note">Will the target capitulate or resist a threat? The leader demands that it cut its ' +
      "tariffs on the leader’s goods and threatens more tariffs (one job; regions only).</p>" +
      '<div class="grid2">' +
      '<label class="field">Leader <input id="escalation-leader" value="USA" data-field="leader" autocomplete="off"></label>' +
      '<label class="field">Target <input id="escalation-target" value="CHN" data-field="target" autocomplete="off"></label>' +
      "</div>" +
      '<label class="field">Allies joining the threat (comma separated, may be empty) <input id="escalation-allies" value="JPN, EU27" data-field="allies" autocomplete="off"></label>' +
      '<div class="grid2">' +
      '<label class="field">Threat, points <input id="escalation-threat" type="number" step="5" min="5" max="300" value="145" data-field="threat"></label>' +
      '<label class="field">Target’s retaliation <select id="escalation-retaliation"><option value="mirror">mirror</option><option value="none">none</option><option value="optimal">optimal (≤ 1 ally)</option></select></label>' +
      '<label class="field">Cost of capitulation d, % <input id="escalation-d" type="number" step="0.1" min="0" value="1" data-field="capitulation_cost"></label>' +
      '<label class="field">Cost of backing down c, % <input id="escalation-c" type="number" step="0.1" min="0" value="1" data-field="audience_cost"></label>' +
      '<label class="field">Resists with <select id="escalation-resist"><option value="tariffs">tariffs</option><option value="export_controls">export controls</option><option value="both">both</option></select></label>' +
      '<label class="field">Regions <select id="escalation-regions"><option value="g14">g14</option><option value="blocs">blocs</option></select></label>' +
      window.tradewar.horizonField("escalation") +
      "</div>" +
      '<button type="button" id="run-escalation" class="small">Compute escalation</button>',
    view:
      '<div class="run-head"><h2 id="escalation-title">Escalation</h2>' +
      '<p class="summary" id="escalation-summary"></p></div>' +
      '<div class="card"><h3>Outcome regions</h3><p class="note" id="escalation-regions-note"></p>' +
      '<div id="escalation-outcomes" class="chart"></div></div>' +
      '<div class="card"><h3>Break-even cost of capitulation, with and without allies</h3><div id="escalation-dstar" class="chart"></div></div>' +
      '<div class="card"><h3>By threat</h3><p class="note">Welfare and d* in % of real income; the target resists iff d &gt; d*.</p>' +
      '<div class="table-wrap"><table id="escalation-table" class="data"></table></div></div>',
  };

  function request() {
    var allies = $("escalation-allies").value.split(/[\s,;]+/).map(function (s) { return s.trim().toUpperCase(); })
      .filter(function (s) { return s; });
    return {
      kind: "escalation",
      leader: $("escalation-leader").value.trim().toUpperCase(),
      target: $("escalation-target").value.trim().toUpperCase(),
      allies: allies,
      threat: Number($("escalation-threat").value) / 100,
      retaliation: $("escalation-retaliation").value,
      resist_with: $("escalation-resist").value,
      capitulation_cost: Number($("escalation-d").value),
      audience_cost: Number($("escalation-c").value),
      regions: $("escalation-regions").value,
      horizon: $("escalation-horizon").value,
    };
  }

  function draw(result, body) {
    var tw = window.tradewar;
    var lead = result.leader, tgt = result.target, s = result.settings;
    var who = [lead].concat(result.allies).join(" + ");
    $("escalation-title").textContent = who + " threaten " + tgt + " with +" + tw.fmt(100 * result.threat, 0, true) + " points (" + tw.horizonText(body.horizon) + ")";
    $("escalation-summary").textContent = "At d = " + s.capitulation_cost_pct + " % and c = " + s.audience_cost_pct + " %: " +
      tgt + " " + OUTCOMES[result.outcome] + ". Break-even cost of capitulation d* = " + tw.fmt(result.d_star_pct, 3, true) +
      " % of " + tgt + "’s real income (" + tw.fmt(result.allies_effect.none, 3, true) + " % without allies); the threat is " +
      (result.credible ? "credible" : "not credible") + " (" + lead + " carries it out iff c > " + tw.fmt(result.credible_if_c_above_pct, 3, true) + " %).";

    var g = result.grid;
    var codes = g.outcome_codes;
    var z = g.outcome_at_c.outcome.map(function (row) { return row.map(function (o) { return codes.indexOf(o); }); });
    $("escalation-regions-note").textContent = "Outcome at c = " + g.outcome_at_c.c_pct + " % (the leader’s cost of backing down). Colours: " +
      codes.map(function (c, k) { return ["green", "orange", "yellow"][k] + " = " + tgt + " " + OUTCOMES[c]; }).join(", ") + ".";
    var scale = [];
    codes.forEach(function (c, k) { scale.push([k / codes.length, COLORS[k]]); scale.push([(k + 1) / codes.length, COLORS[k]]); });
    var threats = g.threat.map(function (t) { return 100 * t; });
    var ci = g.c_pct.indexOf(g.outcome_at_c.c_pct);
    tw.plot("escalation-outcomes", [
      { type: "heatmap", x: g.d_pct, y: threats, z: z, zmin: -0.5, zmax: codes.length - 0.5, colorscale: scale, showscale: false,
        text: g.outcome_at_c.outcome.map(function (row) { return row.map(function (o) { return tgt + " " + OUTCOMES[o]; }); }),
        hovertemplate: "d = %{x} %, threat %{y} points: %{text}<extra></extra>" },
      { type: "scatter", mode: "lines+markers", name: "d* (break-even)", x: ci >= 0 ? g.d_star_pct[ci] : [], y: threats,
        line: { color: "#222" }, hovertemplate: "d* = %{x:.3f} % at %{y} points<extra></extra>" },
    ], { height: 340, margin: { l: 70, r: 10, t: 30, b: 50 }, legend: { orientation: "h", y: 1.12, x: 0 },
      xaxis: { title: { text: "cost of capitulation d for " + tgt + " (% of real income)" }, ticksuffix: " %" },
      yaxis: { title: { text: "threat (points on " + tgt + "’s goods)" } } });

    var rows = result.by_threat;
    var traces = [{ type: "scatter", mode: "lines+markers", name: "with " + (result.allies.join(", ") || "no allies"),
      x: rows.map(function (r) { return 100 * r.threat; }), y: rows.map(function (r) { return r.d_star_pct; }),
      line: { color: tw.SERIES[0] }, hovertemplate: "%{x} points: d* = %{y:.3f} %<extra></extra>" }];
    if (rows.length && rows[0].without_allies) {
      traces.push({ type: "scatter", mode: "lines+markers", name: lead + " alone",
        x: rows.map(function (r) { return 100 * r.threat; }), y: rows.map(function (r) { return r.without_allies.d_star_pct; }),
        line: { color: tw.SERIES[1], dash: "dot" }, hovertemplate: "%{x} points: d* = %{y:.3f} %<extra>" + lead + " alone</extra>" });
    }
    tw.plot("escalation-dstar", traces, { height: 320, margin: { l: 70, r: 10, t: 30, b: 50 },
      legend: { orientation: "h", y: 1.15, x: 0 },
      xaxis: { title: { text: "threat (points on " + tgt + "’s goods)" } },
      yaxis: { title: { text: "break-even cost d* (% of " + tgt + "’s real income)" }, ticksuffix: " %" } });

    var table = rows.map(function (r) {
      return { country: String(100 * r.threat), threat: 100 * r.threat, d_star_pct: r.d_star_pct,
        d_star_alone_pct: r.without_allies ? r.without_allies.d_star_pct : null,
        leader_war_pct: r.leader_war_pct, target_war_pct: r.target_war_pct,
        credible_if_c_above_pct: r.credible_if_c_above_pct, outcome: tgt + " " + OUTCOMES[r.outcome] };
    });
    var columns = [{ key: "threat", label: "threat, points", unsigned: true },
      { key: "d_star_pct", label: "d* with allies, %", unsigned: true },
      { key: "d_star_alone_pct", label: "d* " + lead + " alone, %", unsigned: true },
      { key: "leader_war_pct", label: lead + " welfare in war, %" },
      { key: "target_war_pct", label: tgt + " welfare in war, %" },
      { key: "credible_if_c_above_pct", label: "credible if c above, %", unsigned: true },
      { key: "outcome", label: "outcome at d, c", text: true }];
    tw.table("escalation-table", columns, table, { key: "threat", dir: 1 });
  }

  window.tradewar.page({ name: "escalation", form: SECTIONS.form, view: SECTIONS.view, request: request, draw: draw });
})();
