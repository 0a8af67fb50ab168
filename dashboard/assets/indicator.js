// The indicator page's callbacks that run in the browser: the chart as a PNG (Plotly draws
// it here, offline) and the chosen area and breakdown kept in the address for sharing.
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.indicator = {
  downloadPng: function (clicks, code, area) {
    var graph = document.querySelector("#indicator-series .js-plotly-plot");
    if (!clicks || !graph || !window.Plotly) {
      return window.dash_clientside.no_update;
    }
    var name = [code, area].filter(Boolean).join("-").replace(/[^A-Za-z0-9._-]/g, "_");
    window.Plotly.downloadImage(graph, { format: "png", filename: name, width: 1200, height: 600 });
    return clicks;
  },
  keepInUrl: function (area, dimension) {
    var params = new URLSearchParams(window.location.search);
    [["area", area], ["breakdown", dimension]].forEach(function (pair) {
      if (pair[1]) {
        params.set(pair[0], pair[1]);
      } else {
        params.delete(pair[0]);
      }
    });
    var query = params.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : ""));
    return window.dash_clientside.no_update;
  },
};
