// Fetches map shapes files (equity.static_files) once per page and hands each to plotly's
// store of geo files, where a map naming it by URL finds it and does not fetch it again.
//
// Published twice, as the first part of the page start script (equity/page_start.js, which
// fetches the ward shapes as the page opens) and of the chart element's code
// (equity/plotly_chart.js, which fetches whatever a figure names): both share one store, and
// each works without the other (`streamlit run app.py` has no start script).
// Returns a promise of them all; a file that fails is forgotten, so the next draw tries again.
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
