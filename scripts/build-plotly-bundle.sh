#!/usr/bin/env bash
# Rebuilds static/plotly-equity.min.js from the versions pinned in frontend/.
# The built files are committed, so running the app never needs Node.js; run this only to
# change plotly.js's version or the trace types in frontend/entry.js.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
npm ci --no-audit --no-fund
npm run build
{
  echo "static/plotly-equity.min.js is built by scripts/build-plotly-bundle.sh from"
  echo "plotly.js $(node -p "require('plotly.js/package.json').version") (see frontend/package-lock.json for every package's version)."
  echo
  echo "==== plotly.js: MIT License ===="
  cat node_modules/plotly.js/LICENSE
  # The geo subplot's libraries, whose licences ask for their notice in a redistribution.
  for package in @plotly/d3 d3-geo d3-geo-projection topojson-client; do
    echo
    echo "==== ${package} $(node -p "require('${package}/package.json').version"): $(node -p "require('${package}/package.json').license") ===="
    cat "node_modules/${package}/LICENSE"
  done
  echo
  echo "==== Other licence comments kept by esbuild ===="
  cat ../static/plotly-equity.min.js.LEGAL.txt
} > ../static/THIRD_PARTY_LICENSES.txt
rm ../static/plotly-equity.min.js.LEGAL.txt
ls -l ../static
