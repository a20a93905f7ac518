// Draws one plotly figure for equity/ui.py's chart component (Streamlit components v2).
//
// Why not st.plotly_chart: its JavaScript chunk is the whole of plotly.js (4.7 MB) and takes
// 0.5-0.7 s of main-thread time to evaluate on a first visit, before MapLibre can start on
// the ward map. static/plotly-equity.min.js holds only the trace types the app draws
// (frontend/entry.js), is loaded once per page and is shared by every chart on it.
//
// data (from Python): {figure: JSON text, config: plotly config, label: accessible name,
//                      assets: URL folder of the static files,
//                      select: "" | "points" | "points+box+lasso"}
// Trigger value "selection": {points: [{location, customdata, curve, point}]} on a click
// (and a box or lasso where allowed), for the callbacks st.plotly_chart's on_select fed.
// Whatever the config says, nothing can be sent to Plotly's cloud.

const SCRIPT = "plotly-equity.min.js";
const STYLE = "plotly-equity.min.css";

function loadPlotly(assets) {
  if (!window.__equityPlotly) {
    window.__equityPlotly = new Promise((resolve, reject) => {
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = assets + STYLE;
      document.head.appendChild(style);
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
  return window.__equityPlotly;
}

// A page's first map is what its reader waits for. Other charts on the page are drawn once
// it has rendered (MapLibre's "idle"), or after MAP_WAIT_MS, so that they do not take the
// main thread while it draws.
const MAP_WAIT_MS = 1500;

function hasMap(figure) {
  return (figure.data || []).some((trace) => /map$/.test(trace.type || ""));
}

function mapRendered(gd) {
  return new Promise((resolve) => {
    const subplot = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    const map = subplot && subplot.map;
    if (!map || (map.loaded() && !map.isMoving())) return resolve();
    map.once("idle", resolve);
    setTimeout(resolve, MAP_WAIT_MS);
  });
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
  const { data, parentElement, setTriggerValue } = component;
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
  // The latest callbacks, so handlers bound once always report to the current script run.
  const report = (event) => setTriggerValue("selection", { points: pointsOf(event) });
  gd.__equityClick = data.select ? report : null;
  gd.__equityArea = data.select === "points+box+lasso" ? report : null;
  const config = { ...data.config, responsive: true, showSendToCloud: false, plotlyServerURL: "" };
  const figure = JSON.parse(data.figure);
  if (!figure.layout.height) gd.style.minHeight = "450px";
  const isMap = hasMap(figure);
  let drawn;
  if (isMap && !window.__equityFirstMap) {
    drawn = loadPlotly(data.assets)
      .then((Plotly) => Plotly.react(gd, figure.data, figure.layout, config));
    window.__equityFirstMap = drawn.then(() => mapRendered(gd), () => undefined);
  } else {
    const before = isMap ? Promise.resolve() : window.__equityFirstMap || Promise.resolve();
    drawn = Promise.all([loadPlotly(data.assets), before])
      .then(([Plotly]) => Plotly.react(gd, figure.data, figure.layout, config));
  }
  drawn
    .then(() => {
      if (gd.__equityBound) return;
      gd.__equityBound = true;
      gd.on("plotly_click", (event) => gd.__equityClick && gd.__equityClick(event));
      gd.on("plotly_selected", (event) => event && gd.__equityArea && gd.__equityArea(event));
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
