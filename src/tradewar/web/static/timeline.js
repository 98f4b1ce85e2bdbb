/* The "timeline of the war" page module: one `timeline` job (POST /api/jobs) runs the built-in
 * `timeline` (every dated step of both sides, one equilibrium per step; or another dated
 * ladder) as `tradewar run timeline` does; the job's result carries the run JSON's steps (the
 * welfare of every economy at every step; the whole run JSON, = `tradewar run timeline --json`,
 * is GET /api/runs/{id}.json) and US–China goods trade at every step. Charts: welfare (USA, CHN and a chosen economy, % of real income) and
 * US–China goods trade (change from the start, %) over time; a table with one row per step.
 * Uses window.tradewar's helpers. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var state = { run: null, result: null };
  var SECTIONS = {
    form:
      '<h2><span class="num">10</span> Timeline of the war</h2>' +
      '<p class="note">The trade war as it was in force, step by step from February 2025 to the latest dated step, ' +
      "both sides (one equilibrium per step, one job; as <code>tradewar run timeline</code>).</p>" +
      '<label class="field">Scenario <select id="timeline-scenario" data-field="scenario"><option value="timeline">timeline</option></select></label>' +
      '<div class="grid2">' +
      window.tradewar.horizonField("timeline") +
      '<label class="field">Regions <select id="timeline-regions" data-field="regions"><option value="">every economy (ICIO 2022)</option><option value="g14">g14 (14 regions; faster)</option></select></label>' +
      "</div>" +
      '<label class="field">Also show <input id="timeline-economy" value="CAN" list="codes" data-field="economy" autocomplete="off" placeholder="an economy, e.g. CAN"></label>' +
      '<button type="button" id="run-timeline" class="small">Run the timeline</button>',
    view:
      '<div class="run-head"><h2 id="timeline-title">Timeline of the war</h2><p class="summary" id="timeline-summary"></p>' +
      '<p class="lede" id="timeline-lede"></p><div class="downloads">Download: <a id="timeline-json" download>run JSON</a></div></div>' +
      '<div class="card"><h3>Welfare at every step</h3><div id="timeline-welfare" class="chart"></div></div>' +
      '<div class="card"><h3>US–China goods trade at every step</h3><div id="timeline-trade" class="chart"></div></div>' +
      '<div class="card"><h3>Step by step</h3><p class="note">Welfare: change in real income from the start (the tariffs in force on 2025-01-01), %; ' +
      "trade: goods (every sector but services), change from the start, %. Each step holds every earlier one.</p>" +
      '<div class="table-wrap"><table id="timeline-table" class="data"></table></div></div>',
  };

  function request() {
    return { kind: "timeline", scenario: $("timeline-scenario").value, horizon: $("timeline-horizon").value,
      regions: $("timeline-regions").value || null };
  }

  function economies() {
    var wanted = $("timeline-economy").value.trim().toUpperCase();
    var list = ["USA", "CHN"];
    if (wanted && list.indexOf(wanted) < 0) list.push(wanted);
    return list;
  }

  function checkEconomy(run) {  // the chosen economy must be one of the run's
    var wanted = $("timeline-economy").value.trim().toUpperCase();
    var have = Object.keys(run.countries);
    if (!wanted || have.indexOf(wanted) >= 0) return true;
    $("timeline-economy").classList.add("invalid");
    window.tradewar.showErrors({ detail: [{ loc: ["economy"], msg: "economy: " + wanted +
      " is not an economy of this run; allowed: " + have.slice().sort().join(", ") }] });
    return false;
  }

  function flow(result, name) {
    return result.trade.rows.filter(function (r) { return r.flow === name; });
  }

  function drawWelfare(run) {
    var tw = window.tradewar;
    var x = run.steps.map(function (s) { return s.date; });
    var labels = run.steps.map(function (s) { return s.label; });
    Plotly.react("timeline-welfare", economies().map(function (c, k) {
      return { type: "scatter", mode: "lines+markers", name: c, x: x, line: { shape: "hv", color: tw.SERIES[k % tw.SERIES.length] },
        y: run.steps.map(function (s) { return s.countries[c] ? s.countries[c].welfare_pct : null; }),
        text: labels, hovertemplate: c + " %{y:+.2f} %<br>%{text}<extra></extra>" };
    }), tw.layout({ height: 340, margin: { l: 70, r: 10, t: 30, b: 50 }, legend: { orientation: "h", y: 1.12, x: 0 },
      xaxis: { type: "date", title: { text: "date the step takes effect" } },
      yaxis: { title: { text: "welfare change, % of real income" }, ticksuffix: " %", zeroline: true } }), tw.PLOT_CONFIG);
  }

  function drawTrade(result) {
    var tw = window.tradewar;
    var names = Array.from(new Set(result.trade.rows.map(function (r) { return r.flow; })));
    Plotly.react("timeline-trade", names.map(function (name, k) {
      var rows = flow(result, name);
      return { type: "scatter", mode: "lines+markers", name: name, line: { shape: "hv", color: tw.SERIES[(k + 3) % tw.SERIES.length] },
        x: rows.map(function (r) { return r.date; }), y: rows.map(function (r) { return r.change_pct; }),
        text: rows.map(function (r) { return r.label; }), hovertemplate: name + " %{y:+.1f} %<br>%{text}<extra></extra>" };
    }), tw.layout({ height: 340, margin: { l: 70, r: 10, t: 30, b: 50 }, legend: { orientation: "h", y: 1.12, x: 0 },
      xaxis: { type: "date", title: { text: "date the step takes effect" } },
      yaxis: { title: { text: "goods trade, change from the start, %" }, ticksuffix: " %", zeroline: true } }), tw.PLOT_CONFIG);
  }

  function text(td) {  // a cell of prose: left-aligned and wrapped (CSSOM: allowed by the CSP)
    td.style.textAlign = "left";
    td.style.whiteSpace = "normal";
    td.style.minWidth = "22em";
    return td;
  }

  function shortLabel(step) {  // the label without its date (the first column), at most ~110 characters
    var label = step.date && step.label.indexOf(step.date) === 0 ? step.label.slice(step.date.length).trim() : step.label;
    return label.length > 110 ? label.slice(0, 107).replace(/\s+\S*$/, "") + " …" : label;
  }

  function drawTable(run, result) {
    var tw = window.tradewar, el = tw.el;
    var shown = economies();
    var trade = {};
    result.trade.rows.forEach(function (r) { trade[r.step + " " + r.exporter] = r.change_pct; });
    var head = el("tr", {}, el("th", { scope: "col", text: "date" }), el("th", { scope: "col", text: "step" }),
      ...shown.map(function (c) { return el("th", { scope: "col", text: c + " welfare, %" }); }),
      el("th", { scope: "col", text: "China → US goods, %" }), el("th", { scope: "col", text: "US → China goods, %" }));
    var num = function (key, v, digits) {
      var finite = typeof v === "number" && isFinite(v);
      return el("td", { className: finite && Number(v.toFixed(digits)) !== 0 ? (v < 0 ? "neg" : "pos") : "",
        dataset: { key: key, value: finite ? String(v) : "" }, text: tw.fmt(v, digits) });
    };
    var body = el("tbody", {}, ...run.steps.map(function (s, k) {
      return el("tr", { dataset: { step: String(k) } }, el("td", { dataset: { key: "date" }, text: s.date || "" }),
        text(el("td", { dataset: { key: "label", value: s.label }, title: s.label, text: shortLabel(s) })),
        ...shown.map(function (c) { return num("welfare_pct:" + c, s.countries[c] ? s.countries[c].welfare_pct : null, 2); }),
        num("change_pct:CHN", trade[k + " CHN"], 1), num("change_pct:USA", trade[k + " USA"], 1));
    }));
    $("timeline-table").replaceChildren(el("thead", {}, head), body);
  }

  function summary(run, result) {
    var tw = window.tradewar, last = run.steps[run.steps.length - 1];
    var text = "On " + last.date + " (the latest step): welfare USA " + tw.fmt(last.countries.USA.welfare_pct) + " %, CHN " +
      tw.fmt(last.countries.CHN.welfare_pct) + " %.";
    var cn = flow(result, "China → US goods");
    if (cn.length) {
      var low = cn.reduce(function (a, b) { return b.change_pct < a.change_pct ? b : a; });
      text += " China → US goods trade " + tw.fmt(cn[cn.length - 1].change_pct, 1) + " % at the end; lowest " +
        tw.fmt(low.change_pct, 1) + " % after " + low.date + ".";
    }
    return text;
  }

  function draw() {
    var run = state.run, result = state.result;
    if (!run || !result) return;
    window.tradewar.showView("timeline-view");
    $("timeline-title").textContent = "Timeline of the war: " + run.scenario + " (" + result.horizon + " run, " + run.steps.length + " steps)";
    $("timeline-summary").textContent = summary(run, result);
    $("timeline-lede").textContent = run.description || "";
    $("timeline-json").href = "/api/runs/" + result.run_id + ".json";
    $("timeline-json").download = run.scenario + "-" + result.horizon + ".json";
    drawWelfare(run);
    drawTrade(result);
    drawTable(run, result);
  }

  function show(result) {  // the job's result: the run's steps and the trade at every step
    var run = { scenario: result.scenario, description: result.description, steps: result.steps,  // the run JSON's steps
      countries: result.steps.length ? result.steps[result.steps.length - 1].countries : {} };
    state.run = run;
    state.result = result;
    if (!checkEconomy(run)) return false;
    draw();
  }

  async function fillScenarios() {  // the built-ins with dated steps
    var list = await window.tradewar.api("GET", "/api/scenarios");
    var select = $("timeline-scenario");
    var dated = list.filter(function (s) { return s.steps > 1; }).map(function (s) { return s.name; });
    if (!dated.length) return;
    select.replaceChildren(...dated.map(function (n) {
      return window.tradewar.el("option", { value: n, selected: n === "timeline", text: n });
    }));
  }

  window.tradewar.page({ name: "timeline", form: SECTIONS.form, view: SECTIONS.view, request: request, draw: show });
  $("timeline-economy").addEventListener("change", function () {
    $("timeline-economy").classList.remove("invalid");
    if (state.run && checkEconomy(state.run)) draw();
  });
  document.addEventListener("DOMContentLoaded", function () { fillScenarios().catch(window.tradewar.showErrors); });
})();
