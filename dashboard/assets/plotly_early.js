// The indicator page's charts need plotly.js, which Dash fetches only once the first chart
// is on the page, after the page itself came back from the server. Fetch it at once
// instead, while Dash is still asking for the page. Until it has loaded, window.Plotly is a
// promise of it: Dash's chart component waits for whatever window.Plotly holds
// (Promise.resolve), and plotly.js puts itself there when it runs.
(function () {
  if (window.Plotly || !/\/dashboard\/indicator\/./.test(window.location.pathname)) {
    return;
  }
  var script = document.createElement("script");
  script.src = "/dashboard/_dash-component-suites/plotly/package_data/plotly.min.js";
  script.async = true;
  window.Plotly = new Promise(function (resolve, reject) {
    script.onload = function () {
      resolve(window.Plotly);
    };
    script.onerror = reject;
  });
  document.head.appendChild(script);
})();
