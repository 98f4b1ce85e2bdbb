/* The Nash and talks page module: one `talks` job (POST /api/jobs) — each player's tariff and
 * welfare in the Nash tariff war and after trade talks from it, side by side, and a table.
 * Adds its own form (sidebar) and view (<main>); uses window.tradewar's helpers. Tariffs and
 * welfare in %. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var SECTIONS = {
    form:
      '<h2><span class="num">7</span> Nash war and talks</h2>' +
      '<p class="note">Where does a tariff war end, and what do talks from it give each player? ' +
      "Best responses until no player gains by deviating, then cooperative tariffs with equal gains (one job; regions only, 2–4 players).</p>" +
      '<label class="field">Players (comma separated) <input id="talks-players" value="USA, CHN" data-field="players" autocomplete="off"></label>' +
      '<label class="field">Regions <select id="talks-regions"><option value="g14">g14</option><option value="blocs">blocs</option></select></label>' +
      window.tradewar.horizonField("talks") +
      '<button type="button" id="run-talks" class="small">Compute war and talks</button>',
    view:
      '<div class="run-head"><h2 id="talks-title">Nash war and talks</h2><p class="summary" id="talks-summary"></p></div>' +
      '<div class="card"><h3>Tariffs of each player</h3><div id="talks-tariffs" class="chart"></div></div>' +
      '<div class="card"><h3>Welfare of each player</h3><div id="talks-welfare" class="chart"></div></div>' +
      '<div class="card"><h3>Players</h3><p class="note">Uniform tariffs, % ; welfare change from the baseline, % of real income (zero trade deficits).</p>' +
      '<div class="table-wrap"><table id="talks-table" class="data"></table></div></div>',
  };

  function request() {
    return {
      kind: "talks",
      players: $("talks-players").value.split(/[\s,;]+/).map(function (s) { return s.trim().toUpperCase(); }).filter(function (s) { return s; }),
      regions: $("talks-regions").value,
      horizon: $("talks-horizon").value,
    };
  }

  function bars(id, players, war, talks, axis) {
    var tw = window.tradewar;
    var traces = [{ type: "bar", name: "Nash war", x: players, y: players.map(function (p) { return war[p]; }),
      marker: { color: tw.SERIES[1] }, hovertemplate: "%{x}: %{y:.2f} %<extra>Nash war</extra>" }];
    if (talks) traces.push({ type: "bar", name: "talks", x: players, y: players.map(function (p) { return talks[p]; }),
      marker: { color: tw.SERIES[0] }, hovertemplate: "%{x}: %{y:.2f} %<extra>talks</extra>" });
    tw.plot(id, traces, { height: 300, barmode: "group", margin: { l: 70, r: 10, t: 30, b: 40 },
      legend: { orientation: "h", y: 1.15, x: 0 }, xaxis: { type: "category" },
      yaxis: { title: { text: axis }, ticksuffix: " %" } });
  }

  function pct(map) {
    if (!map) return null;
    var out = {};
    Object.keys(map).forEach(function (k) { out[k] = map[k] === null ? null : 100 * map[k]; });
    return out;
  }

  function draw(result, body) {
    var tw = window.tradewar;
    var war = result.war, talks = result.talks;
    var players = war.players;
    $("talks-title").textContent = "Nash war and talks: " + players.join(", ") + " (" + tw.horizonText(body.horizon) + ")";
    if (!war.converged) {
      $("talks-summary").textContent = "No Nash equilibrium found: " + (war.message || "") + ".";
    } else {
      $("talks-summary").textContent = "In the war " + players.map(function (p) { return p + " sets " + tw.fmt(100 * war.tariffs[p], 1, true) + " %"; }).join(", ") +
        "; world trade " + tw.fmt(war.trade_change_pct.world, 1) + " %." +
        (talks ? " Talks: every player gains " + tw.fmt(talks.common_gain_pct, 2) + " % of real income over the war." : "");
    }
    bars("talks-tariffs", players, pct(war.tariffs), talks ? pct(talks.tariffs) : null, "uniform tariff (%)");
    bars("talks-welfare", players, war.welfare_pct, talks ? talks.welfare_pct : null, "welfare change (% of real income)");
    var rows = players.map(function (p) {
      return { country: p, war_tariff: 100 * war.tariffs[p], talks_tariff: talks ? 100 * talks.tariffs[p] : null,
        war_welfare: war.welfare_pct[p], talks_welfare: talks ? talks.welfare_pct[p] : null };
    });
    var columns = [{ key: "country", label: "player", text: true },
      { key: "war_tariff", label: "Nash tariff, %", unsigned: true }, { key: "talks_tariff", label: "tariff after talks, %", unsigned: true },
      { key: "war_welfare", label: "welfare in the war, %" }, { key: "talks_welfare", label: "welfare after talks, %" }];
    tw.table("talks-table", columns, rows, { key: "country", dir: 1 });
  }

  window.tradewar.page({ name: "talks", form: SECTIONS.form, view: SECTIONS.view, request: request, draw: draw });
})();
