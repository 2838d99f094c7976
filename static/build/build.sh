#!/usr/bin/env bash
# Rebuilds the vendored front-end files under static/vendor/ from the pinned npm packages.
# The app does not run this: its output is committed. See README.md beside this file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
vendor="$here/../vendor"
cd "$here"

npm ci --no-audit --no-fund --ignore-scripts

mkdir -p "$vendor/govuk-frontend" "$vendor/plotly"

# GOV.UK Frontend: our own Sass entry point (system fonts, no GDS Transport, no crown, only the
# components we use), compiled and minified.
npx sass --pkg-importer=node --style=compressed --no-source-map \
  govuk-frontend.scss "$vendor/govuk-frontend/govuk-frontend.min.css"

# plotly.js, partial "basic" bundle (scatter, bar, pie): about a third of the full bundle.
cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js "$vendor/plotly/plotly-basic.min.js"
cp node_modules/plotly.js-basic-dist-min/LICENSE "$vendor/plotly/LICENSE"

node -e '
const fs = require("fs");
const v = (p) => JSON.parse(fs.readFileSync("node_modules/" + p + "/package.json", "utf8")).version;
const out = {
  "govuk-frontend": v("govuk-frontend"),
  "plotly.js-basic-dist-min": v("plotly.js-basic-dist-min"),
  "sass": v("sass"),
};
fs.writeFileSync(process.argv[1], JSON.stringify(out, null, 2) + "\n");
' "$vendor/VERSIONS.json"

echo "Built:"; ls -l "$vendor"/*/
