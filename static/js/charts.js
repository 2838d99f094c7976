/*
 * Draws the page's charts with plotly.js (loaded before this file).
 *
 * Each chart is an element with data-chart="<id>", where <id> is a <script type="application/json">
 * that Django's json_script wrote with the figure ({data, layout}). The data are also in a table next
 * to each chart, so without JavaScript nothing is lost.
 */
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    // No "share" button: it would send the figure to an outside service.
    modeBarButtonsToRemove: [
      "sendChartToCloud",
      "sendDataToCloud",
      "select2d",
      "lasso2d",
      "autoScale2d",
      "toggleSpikelines",
      "hoverClosestCartesian",
      "hoverCompareCartesian"
    ]
  };

  function hideDrawing(element) {
    var drawings = element.querySelectorAll("svg.main-svg");
    for (var i = 0; i < drawings.length; i += 1) {
      drawings[i].setAttribute("aria-hidden", "true");
    }
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source || !window.Plotly) {
      return;
    }
    var figure;
    try {
      figure = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    // On a narrow screen, a legend laid out in columns has no room: list its entries one a line.
    var legend = figure.layout && figure.layout.legend;
    if (legend && legend.entrywidth && element.clientWidth < 640) {
      delete legend.entrywidth;
      delete legend.entrywidthmode;
      figure.layout.height += 20 * figure.data.length - 22 * Math.ceil(figure.data.length / 3);
    }
    // plotly's responsive mode resizes a chart to its container; fix the container's height to the
    // figure's so that a resize changes only the width. (Set through the CSSOM, which a strict CSP allows.)
    if (figure.layout && figure.layout.height) {
      element.style.height = figure.layout.height + "px";
    }
    var config = Object.assign({}, CONFIG, { toImageButtonOptions: { filename: element.id } });
    window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      // To assistive technology the chart is a group named by its heading and summary, holding
      // plotly's toolbar buttons; the drawing itself is hidden from it, since the table beside the
      // chart carries the same data in an accessible form.
      element.setAttribute("role", "group");
      element.setAttribute("aria-labelledby", element.getAttribute("data-labelledby"));
      hideDrawing(element);
      element.on("plotly_afterplot", function () {
        hideDrawing(element);
      });
      element.classList.add("app-chart--drawn");
    });
  }

  function drawAll() {
    var charts = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < charts.length; i += 1) {
      draw(charts[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
