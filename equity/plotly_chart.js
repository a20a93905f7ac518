// Draws one plotly figure for the chart element of equity/ui/elements.py (Streamlit components v2).
//
// Why not st.plotly_chart: its JavaScript chunk is the whole of plotly.js (4.7 MB) and takes
// 0.5-0.7 s of main-thread time to evaluate on a first visit, before the ward map can start.
// static/plotly-equity.min.js (1.4 MB) holds only the trace types the app draws
// (frontend/entry.js), is loaded once per page and is shared by every chart on it.
//
// data (from Python, as UTF-8 JSON bytes): {figure: the plotly figure, config: plotly
//                      config, label: accessible name, assets: URL folder of the static
//                      files, select: "" | "points" | "points+box+lasso"}
// Trigger value "selection": {points: [{location, customdata, curve, point}]} on a click
// (and a box or lasso where allowed), for the callbacks st.plotly_chart's on_select fed.
// Whatever the config says, nothing can be sent to Plotly's cloud.

const SCRIPT = "plotly-equity.min.js";

// Plotly's geo subplot fetches a world topojson (from a CDN, by default) before drawing any
// map, even one whose base layers (land, coastlines, countries) are all hidden, as the ward
// map's are. An empty topology registered under the name it asks for lets it draw at once and
// offline. A figure that shows a base layer would need the real file.
const EMPTY_TOPOLOGY = { type: "Topology", objects: {}, arcs: [] };

// A map's shapes are a static file its traces name by URL (equity.static_files). Plotly would
// fetch it only once its own script has loaded and the map starts drawing; fetched here as
// soon as the figure arrives, in parallel with the script (fetchShapes, from
// equity/fetch_shapes.js, which is published ahead of this file).
function prefetchShapes(figure) {
  const urls = new Set((figure.data || []).map((trace) => trace.geojson).filter((g) => typeof g === "string"));
  const names = wardNamesUrl(figure);
  if (names) urls.add(names);
  return fetchShapes(urls);
}

// The page's head may have started loading the build already (equity/page_start.js).
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

// Resolves once the browser has painted what is drawn now (or after 0.2 s, as in a hidden tab,
// which paints nothing): the rest of the page waits for this, not just for the map's draw.
function afterPaint() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 200);
  });
}

// A chart of wards may name them by code and take each ward's name and authority from the
// map's shapes file (its meta.ward_names; equity/charts/benchmark.py): each point's hover data
// then starts with the code, replaced here by the name and the authority.
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

// Whether plotly.js has been evaluated and every shapes file the figure names has been parsed.
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

// A page's first map is what its reader waits for. Other charts on the page are drawn once
// it has been drawn, so that they do not take the main thread while it draws. A geo subplot
// draws its SVG paths within Plotly.react, so the map is drawn when that has resolved.
function hasMap(figure) {
  return (figure.data || []).some((trace) => trace.type === "choropleth" || trace.type === "scattergeo");
}

// A ward map's height follows the width it is drawn at. Plotly fits the wards' extent (the geo
// subplot's longitude and latitude ranges) inside the plot area, keeping its shape, so a fixed
// height left blank bands above and below a narrow map. The first estimate allows
// LEGEND_ROOM for the title and the legend under the map; once drawn, the height is corrected
// to what the map took, and that room is remembered for the chart's next draw. When the
// window is resized, plotly refits the width (config.responsive) and the height follows.
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
  // Not Plotly.relayout: a relayout of the height also pins the width, and the map would no
  // longer follow its column when the window is resized.
  const layout = { ...gd.layout, height: full.height + wanted - size.h };
  delete layout.width;
  delete layout.autosize;
  return Plotly.react(gd, gd.data, layout, config);
}

// On a touch screen a swipe over the map should scroll the page, not pan the map under it.
// (The impact map's box and lasso are kept: choosing wards is what it is for.)
function forTouch(layout) {
  const coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  if (coarse && layout.dragmode !== "lasso" && layout.dragmode !== "select") layout.dragmode = false;
}

// Plotly never wraps a title. One that would run past the chart's right edge at the width it
// is drawn at is wrapped at spaces, assuming a bold character is at most 0.56 of the font size
// wide, and the top margin grows by a line for each line added.
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
    // Anchored to the figure's top edge. Plotly draws a multi-line title about 14 px higher
    // than its anchor says, so the padding is larger than it looks (measured in Chromium).
    Object.assign(title, { yref: "container", y: 1, yanchor: "top", pad: { ...(title.pad || {}), t: TITLE_PAD } });
    layout.margin.t += TITLE_PAD;
  }
}

// The x-axis title is centred under the plot, whose width only plotly knows: once drawn, a
// title that runs past the figure's edge is wrapped to the room it has and redrawn.
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
  // The latest callbacks, so handlers bound once always report to the current script run.
  const report = (event) => setTriggerValue("selection", { points: pointsOf(event) });
  gd.__equityClick = data.select ? report : null;
  gd.__equityArea = data.select === "points+box+lasso" ? report : null;
  const config = { ...data.config, responsive: true, showSendToCloud: false, plotlyServerURL: "" };
  const figure = typeof data.figure === "string" ? JSON.parse(data.figure) : data.figure;
  // A figure names the app's template rather than carrying it (equity/ui/elements.py); this
  // file is published with the template prepended as EQUITY_TEMPLATE.
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
    // Where plotly.js and the shapes are at hand (equity/page_start.js), the first map is drawn
    // now, inside this call: waiting a turn would put it behind every other element that
    // Streamlit mounts in the same task.
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
      // A window resize ends in plotly's relayout {autosize: true}.
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
