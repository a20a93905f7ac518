// Runs in the page's <head> before Streamlit's own scripts (equity/ui/page_head.py adds it).
//
// 1. Where the server is. Streamlit's page finds its server by probing
//    <page path>/_stcore/health first: on any page below the root (/health, /jobs, ...) that
//    is a 404, and the page retries at the root 0.1 s later. Told the server's address
//    (window.__streamlit.BACKEND_BASE_URL, read once when Streamlit's script starts), it
//    connects at once. This file is served from <server>/app/static/, so its own address
//    says where the server is.
// 2. The chart library (data-plotly, on pages with charts). The head preloads it;
//    evaluating its 1.4 MB takes the main thread for about 0.1 s. Done when the browser is
//    next idle after the page has loaded (the page is then waiting for the server's first
//    script run), it is no longer done after the map's figure has arrived. The chart element
//    (equity/plotly_chart.js) uses the promise below, and starts the load at once if its
//    figure arrives first.
// 3. The map shapes. The files named in data-shapes are fetched and parsed now, as the chart
//    element would once the map's figure had arrived (fetchShapes, from
//    equity/fetch_shapes.js, published ahead of this file; same store, same result), so that
//    the map does not wait for them then.
(function () {
  const self = document.currentScript;
  const at = self ? self.src.indexOf("app/static/") : -1;
  if (at < 0) return;
  const server = self.src.slice(0, at);
  if (!(window.__streamlit && window.__streamlit.BACKEND_BASE_URL)) {
    window.__streamlit = Object.assign({}, window.__streamlit, { BACKEND_BASE_URL: server });
  }
  // A failure is the chart element's to report, when it draws the map.
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
