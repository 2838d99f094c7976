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

  // Below this width (a phone, or a tablet held upright) a figure is laid out again to fit: see fitNarrow.
  var NARROW = 800;
  var LEGEND_ROW = 24;

  function wrapWords(text, max) {
    var lines = [];
    var line = "";
    String(text).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > max) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) {
      lines.push(line);
    }
    return lines.join("<br>");
  }

  function categoriesOf(figure, axisName) {
    var letter = axisName.replace("axis", "");
    var seen = [];
    figure.data.forEach(function (trace) {
      if (trace.orientation === "h" || (trace.xaxis || "x") !== letter) {
        return;
      }
      (trace.x || []).forEach(function (value) {
        if (seen.indexOf(value) === -1) {
          seen.push(value);
        }
      });
    });
    return seen;
  }

  // On a phone: horizontal tick labels (long ones wrapped, and only every nth one where they would
  // crowd), panel titles wrapped, and the legend below the plot, one entry a line, the figure taller by
  // as much, so that nothing is rotated, cut off or drawn over.
  function fitNarrow(figure, width) {
    var layout = figure.layout;
    var margin = layout.margin || {};
    var plotWidth = width - (margin.l || 60) - (margin.r || 20);
    Object.keys(layout).forEach(function (key) {
      if (!/^xaxis\d*$/.test(key)) {
        return;
      }
      var axis = layout[key];
      axis.tickangle = 0;
      var categories = axis.categoryarray || categoriesOf(figure, key);
      var named = categories.length && categories.every(function (value) {
        return typeof value === "string" && isNaN(Number(value));
      });
      if (axis.type === "date" || axis.type === "linear" || !(axis.type === "category" || named)) {
        axis.nticks = Math.max(3, Math.floor(plotWidth / 70));
        return;
      }
      var slot = plotWidth / categories.length;
      var step = Math.max(1, Math.ceil(40 / slot));
      var fontSize = slot * step < 90 ? 11 : 13;
      var chars = Math.max(4, Math.floor((slot * step) / (fontSize * 0.6)));
      axis.automargin = true;
      axis.tickfont = Object.assign({}, axis.tickfont, { size: fontSize });
      axis.tickmode = "array";
      axis.tickvals = categories.filter(function (value, index) {
        return index % step === 0;
      });
      axis.ticktext = axis.tickvals.map(function (value) {
        return wrapWords(value, chars);
      });
    });
    (layout.annotations || []).forEach(function (note) {
      if (note.text && note.text.length * 8 > plotWidth) {
        note.text = wrapWords(note.text, Math.floor(plotWidth / 8));
        note.yanchor = "bottom";
      }
    });
    // An axis title longer than its axis is wrapped: the y axis's runs up the plot's height.
    Object.keys(layout).forEach(function (key) {
      var axis = layout[key];
      var title = /^[xy]axis\d*$/.test(key) && axis && axis.title;
      var length = key.charAt(0) === "y" ? (layout.height || 420) - 140 : plotWidth;
      if (title && title.text && title.text.length * 9 > length) {
        title.text = wrapWords(title.text, Math.floor(length / 9));
      }
    });
    // Legend entries: traces, and shapes that ask for one (the marks of inspections on time charts), their
    // names wrapped to the screen's width.
    var groups = [];
    var nameChars = Math.floor((width - 80) / 7);
    var lines = 0;
    var shapesShown = false;
    figure.data.concat(layout.shapes || []).forEach(function (item) {
      var group = item.legendgroup || item.name;
      var isShape = item.type && !item.x;
      var shown = isShape ? item.showlegend === true : item.showlegend !== false;
      if (shown && item.name && groups.indexOf(group) === -1) {
        groups.push(group);
        shapesShown = shapesShown || isShape;
        item.name = wrapWords(item.name, nameChars);
        lines += item.name.split("<br>").length;
      }
    });
    // plotly draws a legend for two entries or more, or for one a shape asks for (an inspection's mark).
    if (layout.showlegend !== false && (groups.length > 1 || (groups.length === 1 && shapesShown))) {
      var title = layout.legend && layout.legend.title;
      var rows = lines + (title ? 1 : 0);
      // Across the whole figure (xref "container"), not only the plot beside the axis title: one entry a
      // line, as wide as the screen.
      layout.legend = {
        orientation: "h",
        xref: "container",
        x: 0,
        xanchor: "left",
        yref: "container",
        y: 0,
        yanchor: "bottom",
        entrywidth: width - 50,
        entrywidthmode: "pixels",
        traceorder: (layout.legend && layout.legend.traceorder) || "normal"
      };
      if (title) {
        layout.legend.title = Object.assign({}, title, { side: "top" });
      }
      var extra = LEGEND_ROW * rows + 10;
      layout.margin = Object.assign({}, margin, { b: (margin.b || 60) + extra });
      layout.height = (layout.height || 420) + extra;
    }
  }

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
    if (figure.layout && element.clientWidth < NARROW) {
      fitNarrow(figure, element.clientWidth);
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
