const EQUITY_TEMPLATE = {"layout":{"colorway":["#0072b2","#e69f00","#009e73","#cc79a7","#56b4e9","#d55e00","#f0e442","#000000"],"font":{"color":"#0e1117","family":"\"Source Sans\", \"Source Sans Pro\", sans-serif","size":12},"hoverlabel":{"bgcolor":"#ffffff","bordercolor":"#d5dae5","font":{"color":"#0e1117","family":"\"Source Sans\", \"Source Sans Pro\", sans-serif","size":12}},"legend":{"borderwidth":0,"font":{"size":12},"title":{"font":{"size":12},"side":"top"},"valign":"top"},"margin":{"l":0,"pad":8,"r":0},"paper_bgcolor":"#ffffff","plot_bgcolor":"#ffffff","title":{"font":{"size":16,"weight":700},"pad":{"l":2},"x":0,"xanchor":"left"},"xaxis":{"automargin":true,"gridcolor":"#e6eaf1","showgrid":false,"tickcolor":"#e6eaf1","tickfont":{"color":"#0e1117","size":12},"title":{"font":{"size":14},"standoff":20},"zeroline":false,"zerolinecolor":"#e6eaf1"},"yaxis":{"automargin":true,"gridcolor":"#e6eaf1","tickcolor":"#e6eaf1","tickfont":{"color":"#0e1117","size":12},"ticklabelposition":"outside","title":{"font":{"size":14},"standoff":24},"zerolinecolor":"#e6eaf1"}}};
function fetchShapes(urls) {
const store = (window.__equityShapes = window.__equityShapes || {});
return Promise.all(Array.from(urls, (url) => {
if (!store[url]) {
store[url] = fetch(url, { credentials: "same-origin" })
.then((response) => {
if (!response.ok) throw new Error(`the map shapes did not load (${response.status})`);
return response.json();
})
.then((shapes) => {
window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
window.PlotlyGeoAssets[url] = shapes;
})
.catch((error) => {
delete store[url];
throw error;
});
}
return store[url];
}));
}
function decoded(data) {
if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return JSON.parse(new TextDecoder().decode(data));
return data;
}
const SCRIPT = "plotly-equity.min.js";
const EMPTY_TOPOLOGY = { type: "Topology", objects: {}, arcs: [] };
function prefetchShapes(figure) {
const urls = new Set((figure.data || []).map((trace) => trace.geojson).filter((g) => typeof g === "string"));
const names = wardNamesUrl(figure);
if (names) urls.add(names);
return fetchShapes(urls);
}
function loadPlotly(assets) {
if (window.__equityLoadPlotly) window.__equityLoadPlotly();
if (!window.__equityPlotly) {
window.__equityPlotly = new Promise((resolve, reject) => {
const script = document.createElement("script");
script.src = assets + SCRIPT;
script.async = true;
script.onload = () => resolve(window.Plotly);
script.onerror = () => {
window.__equityPlotly = null; // let the next rerun try again
reject(new Error("the chart library did not load"));
};
document.head.appendChild(script);
});
}
return window.__equityPlotly.then(withEmptyWorld);
}
function withEmptyWorld(Plotly) {
window.PlotlyGeoAssets.topojson.world_110m = EMPTY_TOPOLOGY;
return Plotly;
}
function afterPaint() {
return new Promise((resolve) => {
requestAnimationFrame(() => setTimeout(resolve, 0));
setTimeout(resolve, 200);
});
}
function wardNamesUrl(figure) {
const meta = figure.layout && figure.layout.meta;
return meta && typeof meta.ward_names === "string" ? meta.ward_names : null;
}
function withWardNames(figure) {
const url = wardNamesUrl(figure);
const shapes = url && window.PlotlyGeoAssets && window.PlotlyGeoAssets[url];
if (!shapes) return;
const byCode = new Map(shapes.features.map((f) => [f.id, f.properties || {}]));
for (const trace of figure.data || []) {
if (!Array.isArray(trace.customdata)) continue;
trace.customdata = trace.customdata.map((row) => {
const ward = byCode.get(row[0]);
return ward ? [ward.name, ward.authority, ...row.slice(1)] : row;
});
}
delete figure.layout.meta.ward_names;
}
function readyNow(figure) {
const assets = window.PlotlyGeoAssets;
return Boolean(window.Plotly && assets && assets.topojson) &&
(figure.data || []).every((trace) => typeof trace.geojson !== "string" || assets[trace.geojson]);
}
function drawNow(Plotly, gd, figure, config) {
try {
return Promise.resolve(Plotly.react(gd, figure.data, figure.layout, config));
} catch (error) {
return Promise.reject(error);
}
}
function hasMap(figure) {
return (figure.data || []).some((trace) => trace.type === "choropleth" || trace.type === "scattergeo");
}
const LEGEND_ROOM = 140;
const MIN_MAP_HEIGHT = 200;
function mercatorY(lat) {
const s = Math.sin((lat * Math.PI) / 180);
return Math.log((1 + s) / (1 - s)) / 2;
}
function fitMapHeight(layout, width, chrome) {
const geo = layout.geo || {};
const lon = geo.lonaxis && geo.lonaxis.range;
const lat = geo.lataxis && geo.lataxis.range;
if (!Array.isArray(lon) || !Array.isArray(lat) || !(width > 0)) return;
const spanX = ((lon[1] - lon[0]) * Math.PI) / 180;
const spanY = mercatorY(lat[1]) - mercatorY(lat[0]);
if (!(spanX > 0 && spanY > 0)) return;
const margin = layout.margin || {};
const plotWidth = width - (margin.l || 0) - (margin.r || 0);
const room = chrome > 0 ? chrome : (margin.t || 0) + (margin.b || 0) + LEGEND_ROOM;
layout.height = Math.round(room + Math.max(MIN_MAP_HEIGHT, (plotWidth * spanY) / spanX));
}
function fitDrawnMapHeight(Plotly, gd, config) {
const full = gd._fullLayout;
const geo = full && full.geo && full.geo._subplot;
const size = full && full._size;
if (!geo || !geo.bounds || !size) return undefined;
const [[x0, y0], [x1, y1]] = geo.bounds;
if (!(x1 > x0 && y1 > y0 && size.w > 0)) return undefined;
gd.__equityMapChrome = full.height - size.h;
const wanted = Math.max(MIN_MAP_HEIGHT, Math.round((size.w * (y1 - y0)) / (x1 - x0)));
if (Math.abs(wanted - size.h) <= 4) return undefined;
const layout = { ...gd.layout, height: full.height + wanted - size.h };
delete layout.width;
delete layout.autosize;
return Plotly.react(gd, gd.data, layout, config);
}
function forTouch(layout) {
const coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
if (coarse && layout.dragmode !== "lasso" && layout.dragmode !== "select") layout.dragmode = false;
}
const CHAR_WIDTH = 0.56;
const TITLE_PAD = 22;
function wrapText(text, maxChars) {
if (!text || text.includes("<br>") || text.length <= maxChars) return [text, 0];
const lines = [];
let line = "";
for (const word of text.split(" ")) {
if (line && (line + " " + word).length > maxChars) {
lines.push(line);
line = word;
} else {
line = line ? line + " " + word : word;
}
}
lines.push(line);
return [lines.join("<br>"), lines.length - 1];
}
function fitTitles(layout, width) {
const title = layout.title;
if (!title || typeof title !== "object" || !(width > 0)) return;
const size = (title.font && title.font.size) || 16;
const [text, added] = wrapText(title.text, Math.max(16, Math.floor((width - 24) / (size * CHAR_WIDTH))));
title.text = text;
let extra = added * size * 1.3;
if (title.subtitle && title.subtitle.text) {
const subSize = (title.subtitle.font && title.subtitle.font.size) || 12;
const [sub, subAdded] = wrapText(title.subtitle.text, Math.floor((width - 24) / (subSize * 0.5)));
title.subtitle.text = sub;
extra += subAdded * subSize * 1.3;
}
if (extra > 0) {
const top = layout.margin && typeof layout.margin.t === "number" ? layout.margin.t : 100; // plotly's default
layout.margin = { ...(layout.margin || {}), t: top + Math.ceil(extra) };
Object.assign(title, { yref: "container", y: 1, yanchor: "top", pad: { ...(title.pad || {}), t: TITLE_PAD } });
layout.margin.t += TITLE_PAD;
}
}
function fitXTitle(Plotly, gd) {
const node = gd.querySelector(".g-xtitle text");
const text = gd.layout && gd.layout.xaxis && gd.layout.xaxis.title && gd.layout.xaxis.title.text;
if (!node || !text) return undefined;
const figure = gd.getBoundingClientRect();
const drawn = node.getBoundingClientRect();
if (drawn.width <= 0 || (drawn.left >= figure.left && drawn.right <= figure.right)) return undefined;
const centre = (drawn.left + drawn.right) / 2;
const room = 2 * Math.min(centre - figure.left, figure.right - centre) - 8;
const plain = text.replace(/<br>/g, " ");
const maxChars = Math.max(12, Math.floor((plain.length * room) / drawn.width) - 1);
return Plotly.relayout(gd, { "xaxis.title.text": wrapText(plain, maxChars)[0] });
}
function pointsOf(event) {
return ((event && event.points) || []).map((p) => ({
location: p.location === undefined ? null : p.location,
customdata: p.customdata === undefined ? null : p.customdata,
curve: p.curveNumber,
point: p.pointNumber,
}));
}
export default function (component) {
const { parentElement, setTriggerValue } = component;
const data = decoded(component.data); // equity/element_data.js
let box = parentElement.querySelector(":scope > .equity-chart");
if (!box) {
box = document.createElement("div");
box.className = "equity-chart";
box.setAttribute("role", "figure");
box.style.width = "100%";
parentElement.appendChild(box);
}
box.setAttribute("aria-label", data.label);
let gd = box.querySelector(":scope > .equity-chart-plot");
if (!gd) {
gd = document.createElement("div");
gd.className = "equity-chart-plot";
box.replaceChildren(gd);
}
const report = (event) => setTriggerValue("selection", { points: pointsOf(event) });
gd.__equityClick = data.select ? report : null;
gd.__equityArea = data.select === "points+box+lasso" ? report : null;
const config = { ...data.config, responsive: true, showSendToCloud: false, plotlyServerURL: "" };
const figure = typeof data.figure === "string" ? JSON.parse(data.figure) : data.figure;
if (figure.layout.template === "equity") figure.layout.template = structuredClone(EQUITY_TEMPLATE);
if (!figure.layout.height) gd.style.minHeight = "450px";
const isMap = hasMap(figure);
gd.__equityResized = isMap ? () => fitDrawnMapHeight(window.Plotly, gd, config) : null;
const width = box.clientWidth || parentElement.clientWidth;
fitTitles(figure.layout, width);
if (isMap) {
fitMapHeight(figure.layout, width, gd.__equityMapChrome);
forTouch(figure.layout);
}
let drawn;
const shapes = prefetchShapes(figure);
if (isMap && !window.__equityFirstMap) {
drawn = readyNow(figure)
? drawNow(withEmptyWorld(window.Plotly), gd, figure, config)
: Promise.all([loadPlotly(data.assets), shapes])
.then(([Plotly]) => Plotly.react(gd, figure.data, figure.layout, config));
window.__equityFirstMap = drawn.then(afterPaint, afterPaint);
} else {
const before = isMap ? Promise.resolve() : window.__equityFirstMap || Promise.resolve();
drawn = Promise.all([loadPlotly(data.assets), before, shapes])
.then(([Plotly]) => {
withWardNames(figure);
return Plotly.react(gd, figure.data, figure.layout, config);
});
}
drawn
.then(() => window.Plotly && (isMap ? fitDrawnMapHeight(window.Plotly, gd, config) : fitXTitle(window.Plotly, gd)))
.then(() => {
if (gd.__equityBound) return;
gd.__equityBound = true;
gd.on("plotly_click", (event) => gd.__equityClick && gd.__equityClick(event));
gd.on("plotly_selected", (event) => event && gd.__equityArea && gd.__equityArea(event));
gd.on("plotly_relayout", (event) => event && event.autosize && gd.__equityResized && gd.__equityResized());
})
.catch((error) => {
const note = document.createElement("p");
note.textContent = `This chart could not be drawn (${error.message}). Its figures are in the table on this page.`;
box.replaceChildren(note);
});
return () => {
if (window.Plotly) window.Plotly.purge(gd);
};
}