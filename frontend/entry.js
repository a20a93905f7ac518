// The plotly.js build the app draws every chart with: plotly's core (scatter, layout,
// legend, annotations, shapes, error bars) plus only the trace types equity/charts.py makes.
// A test (tests/test_chart_bundle.py) checks that list against the figures the app builds.
var Plotly = require('plotly.js/lib/core');
Plotly.register([
  require('plotly.js/lib/bar'),
  require('plotly.js/lib/choroplethmap'),
  require('plotly.js/lib/scattermap'),
]);
window.Plotly = Plotly;
