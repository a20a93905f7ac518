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
(function () {
const self = document.currentScript;
const at = self ? self.src.indexOf("app/static/") : -1;
if (at < 0) return;
const server = self.src.slice(0, at);
if (!(window.__streamlit && window.__streamlit.BACKEND_BASE_URL)) {
window.__streamlit = Object.assign({}, window.__streamlit, { BACKEND_BASE_URL: server });
}
fetchShapes((self.dataset.shapes || "").split(" ").filter(Boolean)).catch(() => undefined);
const plotly = self.dataset.plotly; // absent on a page with no chart
if (!plotly || window.__equityPlotly) return;
let script;
window.__equityPlotly = new Promise((resolve, reject) => {
window.__equityLoadPlotly = () => {
if (script) return;
script = document.createElement("script");
script.src = plotly;
script.async = true;
script.onload = () => resolve(window.Plotly);
script.onerror = () => {
window.__equityPlotly = null; // the chart element loads it itself next time
window.__equityLoadPlotly = null;
reject(new Error("the chart library did not load"));
};
document.head.appendChild(script);
};
});
const whenIdle = window.requestIdleCallback || ((run) => setTimeout(run, 0));
document.addEventListener("DOMContentLoaded", () => {
whenIdle(() => window.__equityLoadPlotly && window.__equityLoadPlotly(), { timeout: 1000 });
});
})();