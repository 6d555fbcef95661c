// The resolution report: draws its charts with Chart.js from the JSON the
// page embeds, again after every htmx swap of the report body, and sorts its
// tables. The numbers are also in plain tables next to each chart.
(function () {
  "use strict";
  function color(name, alpha) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    if (alpha === undefined || !/^#[0-9a-f]{6}$/i.test(value)) return value;
    const n = parseInt(value.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }
  const common = { responsive: true, maintainAspectRatio: false, animation: false };
  const configs = {
    trend: function (d) {
      return {
        type: "line",
        data: {
          labels: d.trend.labels,
          datasets: [
            { label: "Created", data: d.trend.created, borderColor: color("--muted"), backgroundColor: color("--muted") },
            { label: "Solved", data: d.trend.solved, borderColor: color("--accent"), backgroundColor: color("--accent") },
          ],
        },
        options: Object.assign({}, common, { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }),
      };
    },
    share: function (d) {
      return {
        type: "bar",
        data: {
          labels: d.trend.labels,
          datasets: [{ label: "Solved by an article (%)", data: d.trend.share, backgroundColor: color("--accent", 0.7) }],
        },
        options: Object.assign({}, common, { scales: { y: { beginAtZero: true, max: 100 } } }),
      };
    },
    matrix: function (d) {
      const columns = Math.max(1, d.matrix.articles.length);
      const rows = Math.max(1, d.matrix.categories.length);
      return {
        type: "matrix",
        data: {
          datasets: [{
            label: "Resolved",
            data: d.matrix.cells,
            backgroundColor: function (ctx) {
              const cell = ctx.raw || {};
              return color("--accent", cell.v ? 0.15 + 0.85 * (cell.r || 0) / 100 : 0.04);
            },
            borderColor: color("--border"),
            borderWidth: 1,
            width: function (ctx) { const a = ctx.chart.chartArea; return a ? a.width / columns - 2 : 10; },
            height: function (ctx) { const a = ctx.chart.chartArea; return a ? a.height / rows - 2 : 10; },
          }],
        },
        options: Object.assign({}, common, {
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: function (items) { const c = items[0].raw; return c.y + " × " + c.x; },
                label: function (item) {
                  const c = item.raw;
                  return c.v + " resolved" + (c.r === null ? "" : " (" + c.r + "% of the category)");
                },
              },
            },
          },
          scales: {
            x: { type: "category", labels: d.matrix.articles, offset: true, grid: { display: false } },
            y: { type: "category", labels: d.matrix.categories, offset: true, grid: { display: false } },
          },
          onClick: function (event, elements, chart) {
            if (!elements.length) return;
            const cell = chart.data.datasets[elements[0].datasetIndex].data[elements[0].index];
            if (cell && cell.url) window.location.href = cell.url;
          },
        }),
      };
    },
  };
  let drawn = 0;
  function draw() {
    const script = document.getElementById("report-charts");
    if (!script || !window.Chart) return;
    const data = JSON.parse(script.textContent);
    drawn += 1;
    // The heat map's height follows its rows (a style attribute would break the CSP).
    document.querySelectorAll(".matrix-box[data-rows]").forEach(function (box) {
      box.style.setProperty("--rows", box.dataset.rows);
    });
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const old = window.Chart.getChart(canvas);
      if (old) old.destroy();
      new window.Chart(canvas, configs[canvas.dataset.chart](data));
      canvas.dataset.drawn = String(drawn);
    });
    syncDates();
  }
  function forget(root) {
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const chart = window.Chart && window.Chart.getChart(canvas);
      if (chart) chart.destroy();
    });
  }
  // A preset's dates come back with the body; show them in the date fields.
  function syncDates() {
    const body = document.getElementById("report-body");
    const form = document.querySelector(".report-filters");
    if (!body || !form || !body.dataset.start) return;
    if (form.elements.period && form.elements.period.value !== "custom") {
      form.elements.start.value = body.dataset.start;
      form.elements.end.value = body.dataset.end;
    }
  }
  // Picking a date means custom dates (runs before htmx sends the form).
  document.addEventListener("change", function (event) {
    if (event.target.matches(".report-filters input[type=date]")) {
      const period = event.target.form.elements.period;
      if (period) period.value = "custom";
    }
  }, true);
  document.addEventListener("click", function (event) {
    const button = event.target.closest("table.sortable > thead button.sort");
    if (!button) return;
    const th = button.closest("th");
    const table = th.closest("table");
    const headers = Array.from(table.tHead.rows[0].cells);
    const index = headers.indexOf(th);
    const descending = th.getAttribute("aria-sort") !== "descending";
    headers.forEach(function (h) { if (h.hasAttribute("aria-sort")) h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    const tbody = table.tBodies[0];
    const rows = Array.from(tbody.rows).filter(function (row) { return row.cells[index] && row.cells[index].dataset.value !== undefined; });
    rows.sort(function (a, b) {
      const x = a.cells[index].dataset.value, y = b.cells[index].dataset.value;
      const nx = parseFloat(x), ny = parseFloat(y);
      const order = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
      return descending ? -order : order;
    });
    rows.forEach(function (row) { tbody.appendChild(row); });
  });
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "report-body") forget(event.detail.target);
  });
  // Only when the report itself was swapped: the header's bell settles every 30 s.
  document.addEventListener("htmx:afterSettle", function (event) {
    const body = document.getElementById("report-body");
    const target = event.detail.target;
    if (body && target && (target.id === "report-body" || target.contains(body))) draw();
  });
})();
