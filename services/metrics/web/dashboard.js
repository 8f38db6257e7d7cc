// The metrics dashboard: reads the service's REST API with the key the user saved, draws with
// Plotly (served by this service from the plotly wheel). State lives in the URL's query.
"use strict";

const KEY = "socorg.metrics.apiKey";
const STATUS = {
  met: "已达成", on_track: "进度正常", at_risk: "有风险",
  off_track: "滞后", insufficient_history: "历史数据不足",
};
const COLOUR = {
  met: "#2e7d32", on_track: "#689f38", at_risk: "#ef6c00",
  off_track: "#c62828", insufficient_history: "#757575",
};
const CMP = { ">=": "≥", ">": ">", "=": "=" };
const CONFIG = { displaylogo: false, responsive: true };
const $ = (id) => document.getElementById(id);
const state = { set: null, place: null, asOf: null, sets: [], names: {}, trail: [] };

function fmt(v) {
  return v === null || v === undefined ? "—" : (Math.round(v * 100) / 100).toLocaleString("zh-CN");
}

function say(text) { $("message").textContent = text || ""; }

async function api(path, params) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params || {})) if (v) url.searchParams.set(k, v);
  const r = await fetch(url, { headers: { "X-API-Key": localStorage.getItem(KEY) || "" } });
  const body = await r.json();
  if (!r.ok) throw new Error(`${body.title || r.status}: ${body.detail || ""}`);
  return body;
}

function remember() {
  const q = new URLSearchParams({ set: state.set, as_of: state.asOf });
  if (state.place) q.set("place", state.place);
  history.replaceState(null, "", `?${q}`);
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  const { dataset, ...props } = attrs || {};
  Object.assign(e, props);
  Object.assign(e.dataset, dataset || {});
  e.append(...children);
  return e;
}

function drawProgress(targets) {
  const rows = targets.slice().reverse();  // Plotly draws the first category at the bottom
  const pct = rows.map((t) => (t.value === null || !t.threshold ? 0 : (100 * t.value) / t.threshold));
  Plotly.react($("progress-chart"), [{
    type: "bar", orientation: "h", meta: "progress",
    y: rows.map((t, i) => `${rows.length - i}. ${t.wording.slice(0, 22)}`),
    x: pct, customdata: rows.map((t) => t.id),
    marker: { color: rows.map((t) => COLOUR[t.status]) },
    text: rows.map((t) => `${fmt(t.value)} / ${CMP[t.comparison]}${fmt(t.threshold)}${t.unit} · ${STATUS[t.status]}`),
    textposition: "auto", hoverinfo: "text",
  }], {
    title: { text: "完成进度(占目标值的百分比,竖线为目标)" },
    xaxis: { ticksuffix: "%", rangemode: "tozero" }, yaxis: { automargin: true },
    margin: { t: 40, r: 20 }, height: 90 + 34 * rows.length,
    shapes: [{ type: "line", xref: "x", yref: "paper", x0: 100, x1: 100, y0: 0, y1: 1,
      line: { color: "#1f3b57", width: 2, dash: "dash" } }],
  }, CONFIG);
}

function drawTrend(div, t, start) {
  const h = t.history || [];
  const traces = [
    { meta: "history", name: "月度值", mode: "lines+markers", x: h.map((p) => p.date), y: h.map((p) => p.value),
      line: { color: "#1f3b57" } },
    { meta: "goal", name: `目标 ${CMP[t.comparison]}${fmt(t.threshold)}`, mode: "lines",
      x: [start, t.deadline], y: [t.threshold, t.threshold], line: { color: "#c62828", dash: "dash" } },
  ];
  const fc = t.forecast;
  if (fc && t.value !== null && t.as_of < t.deadline) {
    traces.push(
      { meta: "range", name: "预测区间(95%)", mode: "lines", fill: "toself", hoverinfo: "skip",
        x: [t.as_of, t.deadline, t.deadline, t.as_of], y: [t.value, fc.high, fc.low, t.value],
        line: { width: 0 }, fillcolor: "rgba(21,101,192,0.15)" },
      { meta: "forecast", name: `截止日预测 ${fmt(fc.value)}`, mode: "lines+markers",
        x: [t.as_of, t.deadline], y: [t.value, fc.value], line: { color: "#1565c0", dash: "dot" } },
    );
  }
  Plotly.react(div, traces, {
    height: 280, margin: { t: 10, r: 10, b: 40 }, xaxis: { type: "date", tickformat: "%Y-%m" },
    legend: { orientation: "h", y: -0.2 },
  }, CONFIG);
}

function drawTargets(set) {
  const box = $("targets");
  box.replaceChildren();
  for (const t of set.progress) {
    const fc = t.forecast;
    const forecast = fc
      ? `截止日预测 ${fmt(fc.value)}(区间 ${fmt(fc.low)}–${fmt(fc.high)})`
      : "历史数据不足,暂不预测";
    const chart = el("div", { id: `trend-${t.id}`, className: "chart" });
    box.append(el("article", { className: `target ${t.status}`, id: `target-${t.id}` },
      el("h3", {}, `${t.clause} ${t.wording}${t.aim ? "(力争)" : ""}`),
      el("p", {}, el("span", { className: `status ${t.status}` }, STATUS[t.status]),
        ` 当前值 ${fmt(t.value)}${t.unit},目标 ${CMP[t.comparison]}${fmt(t.threshold)}${t.unit},` +
        `差距 ${fmt(t.gap)},截止 ${t.deadline};${forecast}`,
        // 3A+ targets: decisions of 3A or above not yet in force on the register
        t.pending === null || t.pending === undefined ? ""
          : el("span", { className: "pending" }, `;已评定待生效 ${fmt(t.pending)}`)),
      chart));
    drawTrend(chart, t, set.start);
  }
}

function drawPlaces(drill) {
  const rows = drill.children.length ? drill.children : [drill.place];
  for (const p of [drill.place, ...rows]) state.names[p.code] = p.name;
  Plotly.react($("density-chart"), [
    { type: "bar", meta: "urban", name: "每个城市社区(居委会)", x: rows.map((p) => p.name),
      y: rows.map((p) => p.per_urban_community), customdata: rows.map((p) => p.code), marker: { color: "#1565c0" } },
    { type: "bar", meta: "rural", name: "每个农村社区(村委会)", x: rows.map((p) => p.name),
      y: rows.map((p) => p.per_rural_community), customdata: rows.map((p) => p.code), marker: { color: "#689f38" } },
  ], { barmode: "group", height: 320, margin: { t: 10 }, legend: { orientation: "h", y: 1.1 } }, CONFIG);
  $("density-chart").removeAllListeners?.("plotly_click");
  $("density-chart").on("plotly_click", (e) => drill.children.length && go(e.points[0].customdata));
  $("places").tBodies[0].replaceChildren(...rows.map((p) => el("tr", { dataset: { code: p.code } },
    el("td", {}, drill.children.length ? el("a", { onclick: () => go(p.code), dataset: { code: p.code } }, p.name) : p.name),
    ...[p.urban_communities, p.rural_communities, p.community_orgs_urban, p.community_orgs_rural,
      p.per_urban_community, p.per_rural_community].map((v) => el("td", {}, fmt(v))))));
}

function drawTrail(home) {
  const trail = [];
  for (let c = state.place || home; c; c = c === home ? null : parentOf(c)) trail.unshift(c);
  $("breadcrumb").replaceChildren(...trail.flatMap((c, i) => [
    i ? " › " : "",
    i === trail.length - 1 ? el("strong", {}, state.names[c] || c)
      : el("a", { onclick: () => go(c === home ? null : c), dataset: { code: c } }, state.names[c] || c),
  ]));
}

function parentOf(code) {
  if (code.length === 9) return code.slice(0, 6);
  if (!code.endsWith("00")) return `${code.slice(0, 4)}00`;
  if (!code.endsWith("0000")) return `${code.slice(0, 2)}0000`;
  return code === "100000" ? null : "100000";
}

function go(place) { state.place = place; load(); }

async function load() {
  document.body.dataset.state = "loading";
  remember();
  try {
    const params = { as_of: state.asOf, place: state.place, history: "true" };
    const set = await api(`/v1/target-sets/${encodeURIComponent(state.set)}`, params);
    const drill = await api(`/v1/dashboard/places/${state.place || set.place}`, { as_of: state.asOf });
    say("");
    $("set-title").textContent = set.title;
    $("set-meta").textContent = `截至 ${set.as_of} · ${drill.place.name} · 依据 ${set.plan}`;
    drawProgress(set.progress);
    drawPlaces(drill);
    drawTrail(set.place);
    drawTargets(set);
    document.body.dataset.shown = `${state.set}|${state.place || set.place}|${set.as_of}`;
    document.body.dataset.state = "ready";
  } catch (e) {
    say(`无法读取数据:${e.message}`);
    document.body.dataset.state = "error";
  }
}

async function start() {
  const q = new URLSearchParams(location.search);
  state.asOf = q.get("as_of") || new Date().toISOString().slice(0, 10);
  state.place = q.get("place");
  $("as-of").value = state.asOf;
  $("api-key").value = localStorage.getItem(KEY) || "";
  $("controls").addEventListener("submit", (e) => {
    e.preventDefault();
    localStorage.setItem(KEY, $("api-key").value);
    start();
  });
  $("as-of").addEventListener("change", () => { if ($("as-of").value) { state.asOf = $("as-of").value; load(); } });
  $("target-set").onchange = () => { state.set = $("target-set").value; state.place = null; load(); };
  if (!localStorage.getItem(KEY)) {
    say("请输入具有 metrics:read 权限的 API 密钥并保存。");
    document.body.dataset.state = "no-key";
    return;
  }
  try {
    state.sets = await api("/v1/target-sets");
  } catch (e) {
    say(`无法读取目标集:${e.message}`);
    document.body.dataset.state = "error";
    return;
  }
  state.set = q.get("set") || state.set || state.sets[0].id;
  $("target-set").replaceChildren(...state.sets.map((s) => el("option", { value: s.id, selected: s.id === state.set }, s.title)));
  load();
}

start();
