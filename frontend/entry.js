// The plotly.js build the app draws every chart with: plotly's core (scatter, layout,
// legend, annotations, shapes, error bars) plus only the trace types equity/charts/ makes.
// A test (tests/test_chart_bundle.py) checks that list against the figures the app builds.
// The ward map is a `choropleth` on a `geo` subplot: SVG paths through d3-geo. The tiled map
// traces (choroplethmap, scattermap) would add MapLibre GL JS, 1.5 MB of script and a WebGL
// context, to a map that has no tiles.
var Plotly = require('plotly.js/lib/core');
Plotly.register([
  require('plotly.js/lib/bar'),
  require('plotly.js/lib/choropleth'),
  require('plotly.js/lib/scattergeo'),
]);
window.Plotly = Plotly;
