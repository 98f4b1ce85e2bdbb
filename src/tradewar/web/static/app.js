/* tradewar's page: vanilla JavaScript and plotly.js, both served by this server.
 *
 * Everything goes through the JSON API of the same origin (see /openapi.json): the form
 * builds a request, a job runs it (POST /api/jobs, then GET /api/jobs/{id} for progress), and
 * the run JSON (GET /api/runs/{id}.json, the contract of docs/json-contract.md) is drawn.
 * Text from the server is inserted with textContent (or escaped for plotly labels). */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var state = {
    options: null, scenarios: [], baseline: null, sectorLabels: {},
    runs: new Map(), current: null, job: null, tab: "builtin", compare: []
  };
  var LOSS = "#b2182b", GAIN = "#2166ac";
  var SEQUENTIAL = [[0, "#f7fbff"], [0.125, "#deebf7"], [0.25, "#c6dbef"], [0.375, "#9ecae1"], [0.5, "#6baed6"],
    [0.625, "#4292c6"], [0.75, "#2171b5"], [0.875, "#08519c"], [1, "#08306b"]];  // shares (>= 0): ColorBrewer Blues
  var DIVERGING = [[0, "#67001f"], [0.15, "#b2182b"], [0.3, "#d6604d"], [0.45, "#f4a582"],
    [0.5, "#f7f7f7"], [0.55, "#92c5de"], [0.7, "#4393c3"], [0.85, "#2166ac"], [1, "#053061"]];
  var OPTION_LABELS = { mirror: "mirror (tit for tat)", optimal: "optimal (best response; slow)",
    g14: "g14 (14 regions)", zero: "zero (CP two-step)" };
  var SERIES = ["#2166ac", "#e08214", "#1b7837", "#762a83", "#b2182b", "#4d4d4d", "#35978f", "#c51b7d"];
  var FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size: 12, color: "#1f2328" };
  var PLOT_CONFIG = {
    displaylogo: false, responsive: true,
    topojsonURL: window.location.origin + "/geo/",  // the map geometry comes from this server
    modeBarButtonsToRemove: ["lasso2d", "select2d"]
  };
  //: Every button that starts a job: the scenario's Run, and run-* / [data-run] of every page
  //: (setBusy disables them all; the URL state names the one pressed).
  var RUN_BUTTONS = "button#run, button[id^='run-'], button[data-run]";
  var ALLIES = ["USA", "EU27", "GBR", "JPN", "KOR", "CAN", "MEX", "AUS", "IND", "TWN", "VNM", "BRA"];
  var COLUMNS = [
    { key: "country", label: "economy", text: true },
    { key: "welfare_pct", label: "welfare, %" },
    { key: "real_income_change_musd", label: "real income, bn USD", bn: true },
    { key: "real_wage_pct", label: "real wage, %" },
    { key: "exports_pct", label: "exports, %" },
    { key: "imports_pct", label: "imports, %" },
    { key: "tariff_revenue_musd", label: "tariff revenue, bn USD", bn: true, unsigned: true },
    { key: "terms_of_trade_pct", label: "terms of trade, %" },
    { key: "volume_of_trade_pct", label: "volume of trade, %" },
    { key: "price_index_pct", label: "price index, %" }
  ];
  var EMPLOYMENT_COLUMNS = [
    { key: "employment_pct", label: "employment, %" },
    { key: "welfare_utility_pct", label: "welfare incl. work, %" }
  ];

  // ---------------------------------------------------------------- helpers
  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = v;
      else if (k === "className") node.className = v;
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.keys(v).forEach(function (d) { node.dataset[d] = v[d]; });
      else node.setAttribute(k, v === true ? "" : v);
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.append(child.nodeType ? child : String(child));
    }
    return node;
  }
  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function finite(v) { return typeof v === "number" && isFinite(v); }
  function fmt(v, digits, unsigned) {
    if (!finite(v)) return "—";
    var s = v.toFixed(digits === undefined ? 2 : digits);
    if (Number(s) === 0) s = (0).toFixed(digits === undefined ? 2 : digits);
    return !unsigned && Number(s) > 0 ? "+" + s : s;
  }
  function bn(musd, unsigned) {
    if (!finite(musd)) return "—";
    var v = musd / 1000;
    return fmt(v, Math.abs(v) >= 10 ? 1 : 2, unsigned);
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function option(value, label, selected) {
    return el("option", { value: value, selected: !!selected, text: label === undefined ? value : label });
  }
  function setOptions(select, items, selected) {
    select.replaceChildren.apply(select, items.map(function (it) {
      var value = Array.isArray(it) ? it[0] : it, label = Array.isArray(it) ? it[1] : it;
      return option(value, label, String(value) === String(selected));
    }));
  }
  function codes(text) {
    var list = String(text || "").split(/[\s,;]+/).map(function (s) { return s.trim().toUpperCase(); })
      .filter(function (s) { return s.length > 0; });
    return list.length === 1 ? list[0] : (list.length === 0 ? "" : list);
  }
  function rate(text) {  // percent in the form, a fraction in the scenario (or a layer reference)
    var t = String(text || "").trim();
    if (t === "") return null;
    var n = Number(t.replace(",", "."));
    return isFinite(n) ? Math.round(n * 1e8) / 1e10 : t;
  }
  function layout(extra) {
    var base = { font: FONT, margin: { l: 10, r: 20, t: 10, b: 40 }, paper_bgcolor: "#fff",
      plot_bgcolor: "#fff", hoverlabel: { font: FONT } };
    return Object.assign(base, extra || {});
  }

  async function api(method, path, body) {
    var init = { method: method, headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var response;
    try { response = await fetch(path, init); } catch (e) {
      var down = new Error("the server cannot be reached (" + e.message + ")");
      down.status = 0; throw down;
    }
    var text = await response.text(), payload = null;
    try { payload = text ? JSON.parse(text) : null; } catch (e) { payload = text; }
    if (!response.ok) {
      var err = new Error("HTTP " + response.status);
      err.status = response.status;
      err.detail = payload && payload.detail !== undefined ? payload.detail : payload;
      err.retryAfter = response.headers.get("Retry-After");
      throw err;
    }
    return payload;
  }

  // ---------------------------------------------------------------- errors
  function clearErrors() {
    $("errors").hidden = true;
    $("errors").replaceChildren();
    document.querySelectorAll(".invalid").forEach(function (n) { n.classList.remove("invalid"); });
  }
  function locText(loc) {
    return loc.reduce(function (s, p) {
      return typeof p === "number" ? s + "[" + p + "]" : (s ? s + "." + p : String(p));
    }, "");
  }
  function markInvalid(loc) {
    var parts = loc[0] === "scenario" ? loc.slice(1) : loc;
    for (var n = parts.length; n > 0; n--) {
      var key = parts.slice(0, n).join(".");
      var node = document.querySelector('[data-loc="' + key.replace(/"/g, "") + '"]');
      if (node) { node.classList.add("invalid"); return; }
    }
  }
  function showErrors(err) {
    clearErrors();
    var box = $("errors");
    var detail = err.detail;
    if (Array.isArray(detail)) {
      box.append(el("strong", { text: detail.length === 1 ? "Please correct this:" : "Please correct these:" }));
      var list = el("ul");
      detail.forEach(function (d) {
        var loc = (d.loc || []).filter(function (p) { return p !== "body"; });
        var where = locText(loc.length && loc[0] === "scenario" && loc.length > 1 ? loc.slice(1) : loc);
        var msg = String(d.msg || "");
        list.append(el("li", { dataset: { loc: loc.join(".") } },
          msg.indexOf(where) === 0 || !where ? "" : el("code", { text: where + ": " }), msg));
        markInvalid(loc);
      });
      box.append(list);
    } else {
      var text = typeof detail === "string" && detail ? detail : err.message;
      if (err.status === 429 && err.retryAfter) text += " (retry in " + err.retryAfter + " s)";
      box.append(el("strong", { text: err.status ? "Error " + err.status + ": " : "Error: " }), text);
    }
    box.hidden = false;
  }

  // ---------------------------------------------------------------- the form
  function selectTab(tab) {
    state.tab = tab;
    $("tab-builtin").setAttribute("aria-selected", String(tab === "builtin"));
    $("tab-custom").setAttribute("aria-selected", String(tab === "custom"));
    $("pane-builtin").hidden = tab !== "builtin";
    $("pane-custom").hidden = tab !== "custom";
    clearErrors();
  }

  function describeBuiltin() {
    var s = state.scenarios.find(function (x) { return x.name === $("builtin").value; });
    $("builtin-description").textContent = s ? s.description : "";
  }

  function tariffRow(values) {
    values = values || {};
    var mode = values.set !== undefined ? "set" : "add";
    var raw = values[mode];
    var sectors = values.sectors === undefined ? "goods" : values.sectors;
    var list = Array.isArray(sectors);
    var row = el("div", { className: "action tariff" });
    var imp = el("input", { list: "codes", value: [].concat(values.importer || "USA").join(", "), "aria-label": "importer", autocomplete: "off", className: "importer" });
    var exp = el("input", { list: "codes", value: [].concat(values.exporter || "CHN").join(", "), "aria-label": "exporter", autocomplete: "off", className: "exporter" });
    var sec = el("select", { "aria-label": "sectors", className: "sectors" },
      option("goods", "goods", !list && sectors === "goods"), option("all", "all sectors", !list && sectors === "all"),
      option("list", "these sectors:", list));
    var secList = el("input", { placeholder: "e.g. C26, C29", value: list ? sectors.join(", ") : "", "aria-label": "sector codes", className: "sector-list" });
    secList.hidden = !list;
    sec.addEventListener("change", function () { secList.hidden = sec.value !== "list"; update(); });
    var modeSel = el("select", { "aria-label": "set or add", className: "mode" },
      option("add", "add points", mode === "add"), option("set", "set rate to", mode === "set"));
    var rateIn = el("input", { inputmode: "decimal", value: raw === undefined ? "25" : (typeof raw === "number" ? String(Math.round(raw * 1e10) / 1e8) : raw), "aria-label": "rate in percent", className: "rate" });
    row.append(
      el("label", {}, "Importer", imp), el("label", {}, "Exporter", exp),
      el("button", { type: "button", className: "icon remove", title: "remove", "aria-label": "remove this action", onclick: function () { row.remove(); update(); } }, "×"),
      el("label", {}, "Sectors", sec), el("label", {}, " ", secList), el("span"),
      el("label", {}, "Change", modeSel), el("label", {}, "Rate, %", rateIn), el("span"));
    return row;
  }

  function agreementRow(values) {
    values = values || {};
    var row = el("div", { className: "action agreement" });
    var members = el("input", { list: "codes", value: (values.members || ["USA", "EU27"]).join(", "), "aria-label": "members", className: "members", autocomplete: "off" });
    var name = el("input", { value: values.name || "", placeholder: "optional", "aria-label": "agreement name", className: "name" });
    row.append(el("label", {}, "Members", members), el("label", {}, "Name", name),
      el("button", { type: "button", className: "icon remove", title: "remove", "aria-label": "remove this agreement", onclick: function () { row.remove(); update(); } }, "×"));
    return row;
  }

  function reindex() {  // data-loc attributes match the server's error locations
    document.querySelectorAll("#tariff-rows .tariff").forEach(function (row, k) {
      row.querySelector(".importer").dataset.loc = "tariff." + k + ".importer";
      row.querySelector(".exporter").dataset.loc = "tariff." + k + ".exporter";
      row.querySelector(".sectors").dataset.loc = "tariff." + k + ".sectors";
      row.querySelector(".rate").dataset.loc = "tariff." + k + "." + row.querySelector(".mode").value;
    });
    document.querySelectorAll("#agreement-rows .agreement").forEach(function (row, k) {
      row.querySelector(".members").dataset.loc = "agreement." + k + ".members";
      row.querySelector(".name").dataset.loc = "agreement." + k + ".name";
    });
  }

  function customScenario() {
    var s = { name: $("custom-name").value.trim() };
    var tariffs = Array.from(document.querySelectorAll("#tariff-rows .tariff")).map(function (row) {
      var action = { importer: codes(row.querySelector(".importer").value),
        exporter: codes(row.querySelector(".exporter").value) };
      var sec = row.querySelector(".sectors").value;
      var listed = codes(row.querySelector(".sector-list").value);
      action.sectors = sec === "list" ? [].concat(listed) : sec;
      action[row.querySelector(".mode").value] = rate(row.querySelector(".rate").value);
      return action;
    });
    if (tariffs.length) s.tariff = tariffs;
    var agreements = Array.from(document.querySelectorAll("#agreement-rows .agreement")).map(function (row) {
      var a = { members: [].concat(codes(row.querySelector(".members").value)) };
      var name = row.querySelector(".name").value.trim();
      if (name) a.name = name;
      return a;
    });
    if (agreements.length) s.agreement = agreements;
    if ($("coalition-on").checked) {
      var members = Array.from(document.querySelectorAll("#allies input:checked")).map(function (c) { return c.value; });
      members = members.concat([].concat(codes($("coalition-extra").value)).filter(Boolean));
      s.coalition = [{ members: members, target: codes($("coalition-target").value),
        tariff: rate($("coalition-tariff").value), sectors: $("coalition-sectors").value }];
    }
    if ($("retaliation").value !== "none") s.retaliation = $("retaliation").value;
    if ($("start").value !== "in-force-2025") s.start = $("start").value;
    return s;
  }

  function runOptions() {
    return { dataset: $("dataset").value, year: Number($("year").value), elasticity: $("elasticity").value,
      regions: $("regions").value || null, deficits: $("deficits").value, horizon: $("horizon").value,
      // empty = fixed employment; anything else goes to the server as typed (it answers 422)
      labour_supply: $("labour-supply").value.trim() === "" ? 0 : Number($("labour-supply").value) };
  }

  function update() {
    reindex();
    $("coalition-fields").hidden = !$("coalition-on").checked;
    $("custom-json").textContent = JSON.stringify(customScenario(), null, 2);
  }

  function fillAllies() {
    var have = new Set(state.baseline ? state.baseline.countries : []);
    var blocs = state.options ? Object.keys(state.options.blocs) : [];
    var box = $("allies");
    var checked = new Set(Array.from(box.querySelectorAll("input:checked")).map(function (c) { return c.value; }));
    if (!box.children.length) ["USA", "EU27", "JPN", "KOR", "GBR", "CAN", "AUS"].forEach(function (c) { checked.add(c); });
    box.replaceChildren.apply(box, ALLIES.filter(function (c) { return have.has(c) || blocs.indexOf(c) >= 0; }).map(function (c) {
      return el("label", {}, el("input", { type: "checkbox", value: c, checked: checked.has(c), onchange: update }), c);
    }));
  }

  async function loadBaseline() {
    var o = runOptions();
    var q = new URLSearchParams({ dataset: o.dataset, year: String(o.year), elasticity: o.elasticity });
    if (o.regions) q.set("regions", o.regions);
    $("baseline-description").textContent = "loading the baseline…";
    try {
      var info = await api("GET", "/api/baseline?" + q.toString());
      state.baseline = info;
      info.sectors.forEach(function (s) { state.sectorLabels[s.code] = s.label; });
      $("baseline-description").textContent = info.description;
      var blocs = Object.keys(state.options.blocs).filter(function (b) { return info.countries.indexOf(b) < 0; });
      var list = $("codes");
      list.replaceChildren.apply(list, info.countries.concat(blocs, ["ALL"]).map(function (c) { return option(c); }));
      fillAllies();
      update();
    } catch (err) {
      $("baseline-description").textContent = "";
      showErrors(err);
    }
  }

  function fillYears() {
    var d = $("dataset").value;
    setOptions($("year"), state.options.years[d].slice().reverse(), state.options.default_year[d]);
  }

  async function editBuiltin() {
    var name = $("builtin").value;
    var s = await api("GET", "/api/scenarios/" + encodeURIComponent(name));
    fillBuilder(Object.assign({}, s, { name: name + "-edited" }));
    if ((s.step || []).length) {
      showErrors({ detail: "“" + name + "” is a dated ladder of " + s.step.length + " steps; the builder copies only its top-level actions." });
    }
  }

  function fillBuilder(s) {  // the “Build your own” form from a scenario object
    $("custom-name").value = s.name || "my-scenario";
    $("tariff-rows").replaceChildren.apply($("tariff-rows"), (s.tariff || []).map(tariffRow));
    $("agreement-rows").replaceChildren.apply($("agreement-rows"), (s.agreement || []).map(agreementRow));
    var c = (s.coalition || [])[0];
    $("coalition-on").checked = !!c;
    if (c) {
      $("coalition-target").value = c.target;
      $("coalition-tariff").value = typeof c.tariff === "number" ? String(Math.round(c.tariff * 1e10) / 1e8) : c.tariff;
      $("coalition-sectors").value = c.sectors === "all" ? "all" : "goods";
      var members = new Set(c.members);
      document.querySelectorAll("#allies input").forEach(function (i) { i.checked = members.has(i.value); members.delete(i.value); });
      $("coalition-extra").value = Array.from(members).join(", ");
    }
    $("retaliation").value = s.retaliation || "none";
    $("start").value = s.start || "in-force-2025";
    selectTab("custom");
    update();
  }

  // ---------------------------------------------------------------- state in the URL
  // A run writes what produced it to the URL's hash: `run` (the id of the button pressed),
  // every field (by id) of that button's form, the scenario choice and the baseline, and the
  // built scenario as JSON when “Build your own” is open. Opening such a URL fills the form
  // and presses the button again, so a run can be shared and reopened. Generic: any page
  // module whose form is a `section.step` (or a <form>) with fields that have ids gets it.
  function fieldValue(node) {
    if (node.type === "checkbox" || node.type === "radio") return node.checked ? "1" : "0";
    if (node.multiple) return Array.from(node.selectedOptions).map(function (o) { return o.value; }).join(",");
    return node.value;
  }
  function setField(node, value) {
    if (node.type === "checkbox" || node.type === "radio") node.checked = value === "1";
    else if (node.multiple) {
      var wanted = new Set(value.split(","));
      Array.from(node.options).forEach(function (o) { o.selected = wanted.has(o.value); });
    } else node.value = value;
  }
  function fieldsOf(root) {
    return root ? Array.from(root.querySelectorAll("input[id], select[id], textarea[id]")).filter(function (n) {
      return n.type !== "search" && n.type !== "file" && n.type !== "button";
    }) : [];
  }
  function writeState(button) {
    if (!button || !button.id) return;
    var q = new URLSearchParams();
    q.set("run", button.id);
    var form = button.closest("form, section.step");
    // the page's own fields, then the scenario choice and the baseline (pages that run a
    // scenario read them; the built scenario goes as JSON)
    var fields = form && form.id === "run-form" ? [] : fieldsOf(form);
    fields = fields.concat([$("builtin")], fieldsOf($("baseline-form")));
    fields.forEach(function (n) { if (n && !q.has(n.id)) q.set(n.id, fieldValue(n)); });
    q.set("tab", state.tab);
    if (state.tab === "custom") q.set("scenario", JSON.stringify(customScenario()));
    history.replaceState(null, "", "#" + q.toString());
  }
  async function restoreState() {
    var q = new URLSearchParams(window.location.hash.slice(1));
    var button = q.get("run") ? $(q.get("run")) : null;
    if (!button) return;
    if (q.has("dataset") && $("dataset").value !== q.get("dataset")) { setField($("dataset"), q.get("dataset")); fillYears(); }
    var reload = false;
    fieldsOf($("baseline-form")).forEach(function (n) {
      if (q.has(n.id) && n.id !== "dataset") { reload = reload || n.value !== q.get(n.id); setField(n, q.get(n.id)); }
    });
    if (reload || q.has("dataset")) await loadBaseline();
    if (q.get("tab") === "custom" && q.has("scenario")) {
      try { fillBuilder(JSON.parse(q.get("scenario"))); } catch (err) { showErrors({ detail: "the scenario in the URL is not valid JSON" }); return; }
    } else selectTab("builtin");
    q.forEach(function (value, key) {
      var node = $(key);
      if (!node || ["run", "tab", "scenario"].indexOf(key) >= 0 || node.closest("#baseline-form")) return;
      setField(node, value);
      node.dispatchEvent(new Event("input", { bubbles: true }));
      node.dispatchEvent(new Event("change", { bubbles: true }));
    });
    describeBuiltin();
    button.click();
  }

  // ---------------------------------------------------------------- views
  function showView(id) {  // one of the sections of <main> at a time
    document.querySelectorAll("#results > section, #results > .empty").forEach(function (v) { v.hidden = v.id !== id; });
  }

  // ---------------------------------------------------------------- jobs
  function setBusy(busy) {  // every run button of every page, whichever module added it
    document.querySelectorAll(RUN_BUTTONS).forEach(function (b) { b.disabled = busy; });
    $("progress").hidden = !busy;
  }
  function showProgress(job, started) {
    var p = job.progress || {};
    var bar = $("progress-bar");
    if (p.total > 0) { bar.max = p.total; bar.value = p.done; } else { bar.removeAttribute("value"); }
    var secs = ((Date.now() - started) / 1000).toFixed(1);
    $("progress-text").textContent = job.status + (p.message ? ": " + p.message : "") + " · " + secs + " s";
  }

  function runButton(kind) {  // the button that started this job: pressed last, or run-KIND
    var pressed = state.pressed;
    if (pressed && pressed.isConnected && pressed.matches(RUN_BUTTONS)) return pressed;
    return $(kind === "scenario" ? "run" : "run-" + kind);
  }

  // The server's error locations (allies, leader, ...) are shared by several pages' forms: the
  // form of the job takes them (data-field -> data-loc) until the job has answered, so its
  // fields are the ones marked; then the other forms get theirs back.
  function claimFields(form) {
    var taken = [];
    if (form) form.querySelectorAll("[data-field]").forEach(function (node) {
      document.querySelectorAll('[data-loc="' + node.dataset.field + '"]').forEach(function (other) {
        if (other !== node && !form.contains(other)) { taken.push([other, other.dataset.loc]); other.removeAttribute("data-loc"); }
      });
      node.dataset.loc = node.dataset.field;
    });
    return function release() { taken.forEach(function (t) { if (!t[0].dataset.loc) t[0].dataset.loc = t[1]; }); };
  }

  async function runJob(body) {
    var button = runButton(body.kind);
    var release = claimFields(button ? button.closest("form, section.step") : null);
    try { return await runJobOf(body, button); } finally { release(); }
  }

  async function runJobOf(body, button) {
    clearErrors();
    setBusy(true);
    var started = Date.now();
    var job;
    try {
      job = await api("POST", "/api/jobs", body);
      state.job = job.id;
      var wait = 150;
      while (job.status === "queued" || job.status === "running") {
        showProgress(job, started);
        await sleep(wait);
        wait = Math.min(600, wait + 50);
        job = await api("GET", "/api/jobs/" + job.id);
      }
    } catch (err) {
      setBusy(false);
      state.job = null;
      showErrors(err);
      return null;
    }
    state.job = null;
    setBusy(false);
    if (job.status === "done") { writeState(button); return job.result; }
    if (job.status === "failed") showErrors({ status: job.error.status, detail: job.error.detail });
    else showErrors({ detail: "the job was " + job.status });
    return null;
  }

  async function submitRun(event) {
    event.preventDefault();
    var scenario = state.tab === "builtin" ? $("builtin").value : customScenario();
    var body = Object.assign({ kind: "scenario", scenario: scenario }, runOptions());
    var result = await runJob(body);
    if (!result) return;
    await fetchRun(result.run_id).then(function (r) { r.horizon = body.horizon; }).catch(function () {});
    await openRun(result.run_id);
  }

  async function submitCompare() {
    var names = Array.from($("compare-builtins").selectedOptions).map(function (o) { return o.value; });
    if (names.length < 2) { showErrors({ detail: "select at least two built-in scenarios to compare" }); return; }
    var result = await runJob(Object.assign({ kind: "compare", scenarios: names }, runOptions(), { horizon: $("compare-horizon").value }));
    if (!result) return;
    for (var i = 0; i < result.runs.length; i++) await fetchRun(result.runs[i].run_id);
    result.runs.forEach(function (r) { state.runs.get(r.run_id).horizon = r.horizon; });
    state.compare = result.runs.map(function (r) { return r.run_id; });
    renderHistory();
    showCompare(state.compare, result.scenarios);
  }

  // ---------------------------------------------------------------- runs
  async function fetchRun(id) {
    var run = state.runs.get(id);
    if (run && run.data) return run;
    var both = await Promise.all([api("GET", "/api/runs/" + id + ".json"), api("GET", "/api/runs/" + id + "/map"),
      api("GET", "/api/runs/" + id + "/summary")]);
    run = { id: id, data: both[0], map: both[1], facts: both[2], added: run ? run.added : Date.now(), horizon: run ? run.horizon : undefined };
    state.runs.set(id, run);
    return run;
  }

  async function openRun(id) {
    try {
      var run = await fetchRun(id);
    } catch (err) { showErrors(err); return; }
    state.current = id;
    renderHistory();
    renderRun(run);
    health();
  }

  function baselineText(b, horizon) {
    return b.dataset + " " + b.year + " · " + b.elasticity + (b.regions ? " · " + b.regions : "") +
      (horizon === "short" ? " · short run" : "");
  }

  function renderHistory() {
    var ids = Array.from(state.runs.keys()).reverse();
    var list = $("history");
    list.replaceChildren.apply(list, ids.map(function (id) {
      var run = state.runs.get(id);
      var name = run.data ? run.data.scenario : run.summary.scenario;
      var b = run.data ? run.data.baseline : run.summary.options;
      return el("li", { className: id === state.current ? "current" : "", dataset: { run: id } },
        el("input", { type: "checkbox", "aria-label": "select " + name + " for comparison", checked: state.compare.indexOf(id) >= 0,
          onchange: function (e) {
            state.compare = state.compare.filter(function (x) { return x !== id; });
            if (e.target.checked) state.compare.push(id);
            $("compare-selected").disabled = state.compare.length < 2;
          } }),
        el("span", { className: "name", title: name, text: name, onclick: function () { openRun(id); } }),
        el("span", { className: "meta", text: baselineText(b, run.horizon || (run.summary && run.summary.options.horizon)) }));
    }));
    $("compare-selected").disabled = state.compare.length < 2;
  }

  function renderRun(run) {
    var d = run.data;
    showView("run-view");
    $("run-title").textContent = d.scenario;
    $("run-description").textContent = d.description || "";
    $("run-summary").textContent = runSummary(run.facts);
    var b = d.baseline, s = d.solver;
    var chips = [b.dataset + " " + b.year, "elasticities " + b.elasticity, b.regions ? "regions " + b.regions : "every economy",
      "deficits " + d.closure, horizonText(run.horizon), "start: " + (b.starting_tariffs || ""),
      (s.converged ? "converged" : "NOT converged") + " in " + s.iterations + " iterations"];
    $("run-meta").replaceChildren.apply($("run-meta"), chips.map(function (c) { return el("li", { text: c }); }));
    var base = "/api/runs/" + run.id;
    var file = d.scenario.replace(/[^A-Za-z0-9._-]+/g, "-");
    $("dl-json").href = base + ".json"; $("dl-json").download = file + ".json";
    ["countries", "bilateral", "sectors", "steps"].forEach(function (t) {
      $("dl-csv-" + t).href = base + ".csv?table=" + t; $("dl-csv-" + t).download = file + "-" + t + ".csv";
    });
    $("dl-html").href = base + ".html"; $("dl-html").download = file + ".html";
    drawMap(run);
    drawBars(run);
    fillPairs(run);
    fillSectorCountries(run);
    drawSteps(run);
    state.sort = state.sort || { key: "welfare_pct", dir: 1 };
    drawTable(run);
    $("assumptions").replaceChildren.apply($("assumptions"), (d.assumptions || []).map(function (a) { return el("li", { text: a }); }));
    $("solver").textContent = "Solver: " + (s.converged ? "converged" : "not converged") + " after " + s.iterations +
      " iterations, largest residual " + (finite(s.max_residual) ? s.max_residual.toExponential(1) : "—") +
      ", " + (finite(s.seconds) ? s.seconds.toFixed(2) : "—") + " s. Run id " + run.id + ".";
  }

  // ---------------------------------------------------------------- summaries
  // What a page says first: who loses most (and who gains most), the US–China goods trade both
  // ways, and the band (p05–p95 over draws) where there is one. The facts are the server's
  // (GET /api/runs/{id}/summary: tradewar.report.summary_facts, the HTML report's summary);
  // this only words them.
  function runSummary(f) {
    if (!f) return "";
    var parts = ["Loses most: " + f.loser + " " + fmt(f.loser_pct) + " % of real income" +
      (finite(f.loser_musd) ? " (" + bn(f.loser_musd) + " bn USD)" : "") +
      (f.band && f.band[f.loser] ? ", 5–95 % band " + fmt(f.band[f.loser][0]) + " to " + fmt(f.band[f.loser][2]) + " %" : "") + "."];
    parts.push(f.gainer ? "Gains most: " + f.gainer + " " + fmt(f.gainer_pct) + " %." : "No economy gains.");
    if ((f.pair || []).length) {
      parts.push("US–China " + (f.pair.every(function (p) { return p.goods; }) ? "goods " : "") + "trade: " + f.pair.map(function (p) {
        return p.exporter + " → " + p.importer + " " + bn(p.before_musd, true) + " → " + bn(p.after_musd, true) +
          " bn USD (" + fmt(p.change_pct, 1) + " %)" + (p.goods ? "" : " (all sectors)");
      }).join("; ") + ".");
    }
    return parts.join(" ");
  }

  function drawMap(run) {
    var countries = run.data.countries, locs = [], z = [], text = [];
    run.map.locations.forEach(function (iso, k) {
      var key = run.map.keys[k], row = countries[key];
      if (!row || !finite(row.welfare_pct)) return;
      var inside = key !== iso;
      locs.push(iso); z.push(row.welfare_pct);
      text.push("<b>" + esc(iso) + (inside ? " (in " + esc(key) + ")" : "") + "</b><br>welfare " + fmt(row.welfare_pct) +
        " %<br>real income " + bn(row.real_income_change_musd) + " bn USD" + (inside ? " (all of " + esc(key) + ")" : ""));
    });
    var m = Math.max.apply(null, z.map(Math.abs).concat([1e-6]));
    choropleth("map", [{ locations: locs, z: z, text: text, zmin: -m, zmax: m, colorscale: DIVERGING, title: "welfare, %" }]);
  }

  // A world map of ISO3 economies, drawn offline: plotly's choropleth on the geometry this server
  // serves (PLOT_CONFIG.topojsonURL: /geo/world_50m.json; no CDN, no tiles). Each layer is
  // { locations, z, text (hover), zmin, zmax, colorscale, title }: a layer with a title shows
  // its colour bar (put the units in it), one without (e.g. a highlighted economy) none.
  function choropleth(id, layers, extra) {
    var traces = layers.map(function (l) {
      var trace = { type: "choropleth", locationmode: "ISO-3", locations: l.locations, z: l.z, zmin: l.zmin, zmax: l.zmax,
        colorscale: l.colorscale, text: l.text, hoverinfo: "text", marker: { line: { color: "#ffffff", width: 0.4 } },
        showscale: Boolean(l.title) };
      if (l.title) trace.colorbar = { title: { text: l.title }, thickness: 12, len: 0.75 };
      return trace;
    });
    plot(id, traces, Object.assign({
      height: 440, margin: { l: 0, r: 0, t: 0, b: 0 },
      geo: { scope: "world", resolution: 50, projection: { type: "natural earth" }, showframe: false,
        showcoastlines: false, showland: true, landcolor: "#e5e7eb", showcountries: true,
        countrycolor: "#ffffff", lataxis: { range: [-58, 85] }, bgcolor: "rgba(0,0,0,0)" }
    }, extra || {}));
  }

  function drawBars(run) {
    var rows = Object.keys(run.data.countries).map(function (c) { return [c, run.data.countries[c].welfare_pct]; })
      .filter(function (r) { return finite(r[1]); }).sort(function (a, b) { return a[1] - b[1]; });
    var shown = rows.length > 30 ? rows.slice(0, 15).concat(rows.slice(-15)) : rows;
    var values = shown.map(function (r) { return r[1]; });
    plot("bars", [{ type: "bar", orientation: "h", y: shown.map(function (r) { return r[0]; }), x: values,
      marker: { color: values.map(function (v) { return v < 0 ? LOSS : GAIN; }) },
      hovertemplate: "%{y}: %{x:+.2f} %<extra></extra>" }],
    { height: Math.max(300, 18 * shown.length + 60), margin: { l: 10, r: 20, t: 24, b: 40 },
      title: { text: rows.length > 30 ? "15 largest losses and 15 largest gains, welfare %" : "welfare %", font: { size: 12 }, x: 0 },
      yaxis: { automargin: true, autorange: "reversed", type: "category", title: { text: "economy" } },
      xaxis: { zeroline: true, ticksuffix: " %", title: { text: "welfare change, % of real income" } } });
  }

  function fillPairs(run) {
    var rows = run.data.bilateral;
    var exporters = Array.from(new Set(rows.map(function (r) { return r.exporter; }))).sort();
    var best = null;
    rows.forEach(function (r) {
      if (r.exporter === r.importer || !finite(r.after_musd) || !finite(r.before_musd)) return;
      var change = Math.abs(r.after_musd - r.before_musd);
      if (!best || change > best[0]) best = [change, r];
    });
    var pick = best ? best[1] : rows[0];
    setOptions($("pair-exporter"), exporters, pick ? pick.exporter : "");
    fillImporters(run, pick ? pick.importer : null);
  }

  function fillImporters(run, wanted) {
    var e = $("pair-exporter").value;
    var importers = run.data.bilateral.filter(function (r) { return r.exporter === e; }).map(function (r) { return r.importer; }).sort();
    var keep = importers.indexOf(wanted) >= 0 ? wanted : importers.find(function (i) { return i !== e; });
    setOptions($("pair-importer"), importers.map(function (i) { return [i, i === e ? i + " (domestic)" : i]; }), keep);
    drawBilateral(run);
  }

  function drawBilateral(run) {
    var e = $("pair-exporter").value, i = $("pair-importer").value, rows = run.data.bilateral;
    var find = function (x, m) { return rows.find(function (r) { return r.exporter === x && r.importer === m; }); };
    var line = function (r) {
      return r ? r.exporter + " → " + r.importer + ": " + bn(r.before_musd, true) + " → " + bn(r.after_musd, true) +
        " bn USD (" + fmt(r.change_pct, 1) + " %)" : "";
    };
    var there = find(e, i), back = e !== i ? find(i, e) : null;
    $("pair-text").replaceChildren(el("b", { text: line(there) }), back ? el("br") : "", back ? line(back) : "");
    var partners = rows.filter(function (r) { return r.exporter === e && r.importer !== e && finite(r.change_pct); })
      .sort(function (a, b) { return b.before_musd - a.before_musd; }).slice(0, 15);
    if (there && partners.indexOf(there) < 0 && there.importer !== e) partners.push(there);
    plot("bilateral", [{ type: "bar", x: partners.map(function (r) { return r.importer; }),
      y: partners.map(function (r) { return r.change_pct; }),
      marker: { color: partners.map(function (r) { return r.importer === i ? "#111827" : (r.change_pct < 0 ? "#e8a3a3" : "#9cc0e0"); }) },
      customdata: partners.map(function (r) { return [bn(r.before_musd, true), bn(r.after_musd, true)]; }),
      hovertemplate: esc(e) + " → %{x}: %{y:+.1f} %<br>%{customdata[0]} → %{customdata[1]} bn USD<extra></extra>" }],
    { height: 300, margin: { l: 50, r: 10, t: 24, b: 60 },
      title: { text: "exports of " + esc(e) + " by destination (largest 15), change %", font: { size: 12 }, x: 0 },
      xaxis: { type: "category", title: { text: "destination" } },
      yaxis: { ticksuffix: " %", zeroline: true, title: { text: "change in exports, %" } } });
  }

  function fillSectorCountries(run) {
    var countries = Array.from(new Set(run.data.sectors.map(function (r) { return r.country; })));
    var keep = countries.indexOf($("sector-country").value) >= 0 ? $("sector-country").value : countries[0];
    setOptions($("sector-country"), countries, keep);
    drawSectors(run);
  }

  function drawSectors(run) {
    var c = $("sector-country").value;
    var rows = run.data.sectors.filter(function (r) { return r.country === c; });
    var labels = rows.map(function (r) { return esc(r.sector + " " + (state.sectorLabels[r.sector] || "")); });
    var names = labels.map(function (t) { return t.length > 48 ? t.slice(0, 46) + "…" : t; });  // code + name
    var trace = function (key, name, color) {
      return { type: "bar", orientation: "h", name: name, y: names, x: rows.map(function (r) { return r[key]; }),
        marker: { color: color }, customdata: labels, hovertemplate: "%{customdata}<br>" + name + " %{x:+.2f} %<extra></extra>" };
    };
    plot("sectors", [trace("output_pct", "output", "#4d4d4d"), trace("exports_pct", "exports", "#e08214")],
      { barmode: "group", height: Math.max(320, 26 * rows.length + 70), margin: { l: 10, r: 20, t: 30, b: 40 },
        legend: { orientation: "h", y: 1.04, x: 0 },
        yaxis: { automargin: true, autorange: "reversed", type: "category", title: { text: "sector" } },
        xaxis: { ticksuffix: " %", zeroline: true, title: { text: "change from the baseline, %" } } });
  }

  function drawSteps(run) {
    var steps = run.data.steps || [];
    $("steps-card").hidden = steps.length < 2;
    if (steps.length < 2) return;
    var main = Array.from(new Set(run.data.sectors.map(function (r) { return r.country; }))).slice(0, 6);
    if (!main.length) main = Object.keys(run.data.countries).slice(0, 4);
    var x = steps.map(function (s, k) { return s.date || "step " + (k + 1); });
    plot("steps", main.map(function (c, k) {
      return { type: "scatter", mode: "lines+markers", name: c, x: x, line: { color: SERIES[k % SERIES.length] },
        y: steps.map(function (s) { return s.countries[c] ? s.countries[c].welfare_pct : null; }),
        text: steps.map(function (s) { return esc(s.label); }), hovertemplate: c + " %{y:+.2f} %<br>%{text}<extra></extra>" };
    }), { height: 320, margin: { l: 60, r: 10, t: 10, b: 50 }, xaxis: { title: { text: "step (date in force)" } },
      yaxis: { ticksuffix: " %", title: { text: "welfare, % of real income" } } });
  }

  // ---------------------------------------------------------------- tables
  function sortable(table, columns, rows, sort, redraw, filter) {
    filter = (filter || "").trim().toUpperCase();
    var head = el("tr", {}, ...columns.map(function (c) {
      return el("th", { scope: "col", dataset: { key: c.key }, "aria-sort": sort.key === c.key ? (sort.dir > 0 ? "ascending" : "descending") : null,
        onclick: function () { sort.dir = sort.key === c.key ? -sort.dir : (c.text ? 1 : -1); sort.key = c.key; redraw(); } }, c.label);
    }));
    var col = columns.find(function (c) { return c.key === sort.key; }) || columns[0];
    var sorted = rows.slice().sort(function (a, b) {
      var x = a[col.key], y = b[col.key];
      if (col.text) return sort.dir * String(x).localeCompare(String(y));
      if (!finite(x)) return 1;
      if (!finite(y)) return -1;
      return sort.dir * (x - y);
    });
    var body = el("tbody", {}, ...sorted.filter(function (r) { return !filter || String(r.country).toUpperCase().indexOf(filter) >= 0; }).map(function (r) {
      return el("tr", { dataset: { country: r.country } }, ...columns.map(function (c) {
        var v = r[c.key];
        if (c.text) return el("td", { dataset: { key: c.key }, text: v });
        var klass = !c.unsigned && finite(v) && Number(v.toFixed(2)) !== 0 ? (v < 0 ? "neg" : "pos") : "";
        return el("td", { className: klass, dataset: { key: c.key, value: finite(v) ? String(v) : "" },
          text: c.bn ? bn(v, c.unsigned) : fmt(v, 2, c.unsigned) });
      }));
    }));
    table.replaceChildren(el("thead", {}, head), body);
  }

  function drawTable(run) {
    var rows = Object.keys(run.data.countries).map(function (c) { return Object.assign({ country: c }, run.data.countries[c]); });
    // runs with elastic employment (labour_supply > 0) carry two more columns
    var columns = rows.length && "employment_pct" in rows[0] ? COLUMNS.concat(EMPLOYMENT_COLUMNS) : COLUMNS;
    sortable($("country-table"), columns, rows, state.sort, function () { drawTable(run); }, $("table-filter").value);
  }

  // ---------------------------------------------------------------- comparison
  async function showCompare(ids, given) {  // given: the names of a compare job (e.g. "tpp (short run)")
    clearErrors();
    var runs;
    try { runs = await Promise.all(ids.map(fetchRun)); } catch (err) { showErrors(err); return; }
    showView("compare-view");
    var names = given || runs.map(function (r, k) {
      var same = runs.filter(function (o) { return o.data.scenario === r.data.scenario; }).length > 1;
      return r.data.scenario + (same ? " (" + baselineText(r.data.baseline, r.horizon) + ")" : "") + (runs.slice(0, k).some(function (o) { return o.data.scenario === r.data.scenario && baselineText(o.data.baseline, o.horizon) === baselineText(r.data.baseline, r.horizon); }) ? " #" + (k + 1) : "");
    });
    $("compare-meta").replaceChildren.apply($("compare-meta"), runs.map(function (r, k) { return el("li", { text: names[k] + ": " + baselineText(r.data.baseline, r.horizon) }); }));
    $("compare-summary").replaceChildren.apply($("compare-summary"), runs.map(function (r, k) {
      return el("li", {}, el("b", { text: names[k] + ": " }), runSummary(r.facts));
    }));
    var q = ids.map(function (id) { return "runs=" + id; }).join("&");
    $("dl-compare-json").href = "/api/compare.json?" + q;
    $("dl-compare-json").download = "comparison.json";
    $("dl-compare-csv").href = "/api/compare.csv?" + q;
    $("dl-compare-csv").download = "comparison.csv";
    $("dl-compare-html").href = "/api/compare.html?" + q;
    $("dl-compare-html").download = "comparison.html";
    var countries = Array.from(new Set([].concat.apply([], runs.map(function (r) { return Object.keys(r.data.countries); }))));
    var size = function (c) { return Math.max.apply(null, runs.map(function (r) { var v = (r.data.countries[c] || {}).welfare_pct; return finite(v) ? Math.abs(v) : 0; })); };
    var top = countries.slice().sort(function (a, b) { return size(b) - size(a); }).slice(0, 16);
    plot("compare-bars", runs.map(function (r, k) {
      return { type: "bar", name: esc(names[k]), x: top, marker: { color: SERIES[k % SERIES.length] },
        y: top.map(function (c) { return (r.data.countries[c] || {}).welfare_pct; }),
        hovertemplate: esc(names[k]) + "<br>%{x}: %{y:+.2f} %<extra></extra>" };
    }), { barmode: "group", height: 360, margin: { l: 50, r: 10, t: 30, b: 50 },
      legend: { orientation: "h", y: 1.1, x: 0 }, xaxis: { type: "category", title: { text: "economy (16 largest changes)" } },
      yaxis: { ticksuffix: " %", zeroline: true, title: { text: "welfare change, % of real income" } } });
    var columns = [{ key: "country", label: "economy", text: true }].concat(runs.map(function (r, k) { return { key: "r" + k, label: names[k] + ", welfare %" }; }));
    var rows = countries.map(function (c) {
      var row = { country: c };
      runs.forEach(function (r, k) { row["r" + k] = (r.data.countries[c] || {}).welfare_pct; });
      return row;
    });
    state.compareSort = { key: "r0", dir: 1 };
    var redraw = function () { sortable($("compare-table"), columns, rows, state.compareSort, redraw); };
    redraw();
  }

  // ---------------------------------------------------------------- start
  async function health() {
    try {
      var h = await api("GET", "/api/health");
      $("server-status").className = "status ok";
      $("server-status").textContent = "server ok · " + h.pool.workers + " workers · " + h.cache.runs + " cached runs" +
        (h.cache.results ? " · " + h.cache.results + " cached results" : "");
    } catch (err) {
      $("server-status").className = "status down";
      $("server-status").textContent = "server unreachable";
    }
  }

  async function start() {
    var both;
    try {
      both = await Promise.all([api("GET", "/api/options"), api("GET", "/api/scenarios"), api("GET", "/api/runs")]);
    } catch (err) { showErrors(err); return; }
    state.options = both[0];
    state.scenarios = both[1];
    both[2].slice().reverse().forEach(function (s) { state.runs.set(s.id, { id: s.id, summary: s, added: s.created, horizon: s.options.horizon }); });
    renderHistory();
    var names = state.scenarios.map(function (s) { return [s.name, s.name + (s.steps > 1 ? " (" + s.steps + " steps)" : "")]; });
    setOptions($("builtin"), names, "us-china-april-11");
    setOptions($("compare-builtins"), names, null);
    describeBuiltin();
    setOptions($("dataset"), state.options.datasets, "icio");
    fillYears();
    setOptions($("elasticity"), Object.keys(state.options.elasticities).map(function (k) { return [k, k + ": " + state.options.elasticities[k]]; }), "IS");
    // every other choice of the form is what the API accepts (GET /api/options)
    var label = function (v) { return [v, OPTION_LABELS[v] || v]; };
    setOptions($("retaliation"), state.options.retaliation.map(label), "none");
    setOptions($("regions"), [["", "every economy"]].concat(state.options.regions.map(label)), "");
    setOptions($("deficits"), state.options.deficits.map(label), "fixed");
    $("tariff-rows").append(tariffRow({ importer: "USA", exporter: "CHN", add: 0.25 }));
    health();
    await loadBaseline();
    await restoreState();
  }

  // ---------------------------------------------------------------- page modules
  // A page of one analysis in a few lines: page({ name, form, view, request, draw }) adds the
  // form (a section.step of the sidebar, id NAME-form; omit `form` when index.html has it)
  // and the view (a section of <main>, id NAME-view), and makes #run-NAME run
  // request() as a job and draw(result, body) what it returns, then shows the view (unless
  // draw returns false: nothing to show; progress, cancel, errors at their fields, busy
  // buttons and the URL state come with runJob).
  function page(spec) {
    var form = $(spec.name + "-form");
    if (!form && spec.form) {
      form = el("section", { className: "step", id: spec.name + "-form" });
      form.innerHTML = spec.form;
      document.querySelector("aside").append(form);
    }
    if (spec.view && !$(spec.name + "-view")) {
      var view = el("section", { id: spec.name + "-view", hidden: true });
      view.innerHTML = spec.view;
      $("results").append(view);
    }
    $("run-" + spec.name).addEventListener("click", function () {
      var body = spec.request();
      runJob(body).then(function (result) {
        if (result && spec.draw(result, body) !== false) showView(spec.name + "-view");
      }).catch(showErrors);
    });
    return form;
  }
  function table(id, columns, rows, sort) {  // a sortable table that redraws itself
    var redraw = function () { sortable($(id), columns, rows, sort, redraw); };
    redraw();
  }
  function plot(id, traces, extra) {  // a chart with the page's layout and config
    Plotly.react(id, traces, layout(extra), PLOT_CONFIG);
  }
  function axis(title, extra) { return Object.assign({ title: { text: title } }, extra || {}); }
  // the Horizon control of a page's form (its request's `horizon`, as the CLI's --horizon) and
  // the words for a horizon in a view's title
  function horizonField(name) {
    return '<label class="field">Horizon <select id="' + name + '-horizon" data-field="horizon">' +
      '<option value="long">long run (as published)</option><option value="short">short run (about one year)</option></select></label>';
  }
  function horizonText(horizon) { return horizon === "short" ? "short run (about one year)" : "long run"; }

  // what the page modules of other analyses (exposure.js, …) use
  window.tradewar = { page: page, table: table, plot: plot, axis: axis, horizonField: horizonField, horizonText: horizonText, api: api, runJob: runJob, showErrors: showErrors, showView: showView, sortable: sortable,
    layout: layout, el: el, fmt: fmt, bn: bn, esc: esc, setBusy: setBusy, runSummary: runSummary, PLOT_CONFIG: PLOT_CONFIG, SERIES: SERIES,
    choropleth: choropleth, SEQUENTIAL: SEQUENTIAL };

  document.addEventListener("DOMContentLoaded", function () {
    $("tab-builtin").addEventListener("click", function () { selectTab("builtin"); });
    $("tab-custom").addEventListener("click", function () { selectTab("custom"); update(); });
    $("builtin").addEventListener("change", describeBuiltin);
    $("edit-builtin").addEventListener("click", function () { editBuiltin().catch(showErrors); });
    $("add-tariff").addEventListener("click", function () { $("tariff-rows").append(tariffRow()); update(); });
    $("add-agreement").addEventListener("click", function () { $("agreement-rows").append(agreementRow()); update(); });
    $("pane-custom").addEventListener("input", update);
    $("pane-custom").addEventListener("change", update);
    $("dataset").addEventListener("change", function () { fillYears(); loadBaseline(); });
    $("year").addEventListener("change", loadBaseline);
    $("regions").addEventListener("change", loadBaseline);
    $("run-form").addEventListener("submit", submitRun);
    $("run-compare").addEventListener("click", submitCompare);
    $("compare-selected").addEventListener("click", function () { showCompare(state.compare.slice()); });
    $("cancel").addEventListener("click", function () { if (state.job) api("DELETE", "/api/jobs/" + state.job).catch(showErrors); });
    $("pair-exporter").addEventListener("change", function () { fillImporters(state.runs.get(state.current), $("pair-importer").value); });
    $("pair-importer").addEventListener("change", function () { drawBilateral(state.runs.get(state.current)); });
    $("sector-country").addEventListener("change", function () { drawSectors(state.runs.get(state.current)); });
    $("table-filter").addEventListener("input", function () { if (state.current) drawTable(state.runs.get(state.current)); });
    document.addEventListener("click", function (e) {  // which run button started a job (URL state)
      var b = e.target.closest ? e.target.closest(RUN_BUTTONS) : null;
      if (b) state.pressed = b;
    }, true);
    // a URL pasted into this tab (only the hash differs): fill the form and run it
    window.addEventListener("hashchange", function () { restoreState().catch(showErrors); });
    start();
  });
})();
