#!/usr/bin/env bash
# Rebuilds static/plotly-equity.min.js (+ .css) from the versions pinned in frontend/.
# The built files are committed, so running the app never needs Node.js; run this only to
# change plotly.js's version or the trace types in frontend/entry.js.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
npm ci --no-audit --no-fund
npm run build
{
  echo "static/plotly-equity.min.js and .css are built by scripts/build-plotly-bundle.sh from"
  echo "plotly.js $(node -p "require('plotly.js/package.json').version") and"
  echo "maplibre-gl $(node -p "require('maplibre-gl/package.json').version") (see frontend/package-lock.json)."
  echo
  echo "==== plotly.js: MIT License ===="
  cat node_modules/plotly.js/LICENSE
  echo
  echo "==== maplibre-gl: 3-Clause BSD License ===="
  cat node_modules/maplibre-gl/LICENSE.txt
  echo
  echo "==== Other licence comments kept by esbuild ===="
  cat ../static/plotly-equity.min.js.LEGAL.txt
} > ../static/THIRD_PARTY_LICENSES.txt
rm ../static/plotly-equity.min.js.LEGAL.txt
ls -l ../static
