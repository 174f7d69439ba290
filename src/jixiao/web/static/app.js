// jixiao web app: the little the pages need beyond htmx — uploads one file per request with
// a progress bar each, the dashboard's charts, and keyboard access to editable cells.
// No inline scripts and no eval: the Content-Security-Policy forbids both.
"use strict";

(function () {
  const CSRF_HEADER = "X-CSRF-Token";

  function csrfToken() {
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers[CSRF_HEADER] || "";
  }

  // --- small helpers for the form page and messages

  document.addEventListener("click", function (event) {
    const target = event.target;
    if (target.closest("[data-action=close-editor]")) {
      const editor = document.getElementById("cell-editor");
      if (editor) editor.innerHTML = "";
    } else if (target.closest("[data-action=close-flash]")) {
      document.getElementById("flash").innerHTML = "";
    }
  });

  // Editable cells are role=button: Enter or Space opens the editor as a click does.
  document.addEventListener("keydown", function (event) {
    const cell = event.target.closest && event.target.closest("[data-editable=true][role=button]");
    if (cell && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      cell.click();
    }
  });

  // A message from a later request replaces an earlier one; a successful swap clears it.
  document.addEventListener("htmx:beforeRequest", function () {
    const flash = document.getElementById("flash");
    if (flash) flash.innerHTML = "";
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "cell-editor") {
      const text = event.detail.target.querySelector("textarea");
      if (text) {
        text.focus();
        text.setSelectionRange(text.value.length, text.value.length);
      }
    }
  });

  // --- uploads: one request per file, each with its own progress bar and result

  function uploadOne(form, file, row) {
    return new Promise(function (resolve) {
      const progress = row.querySelector("progress");
      const result = row.querySelector(".result");
      const maxBytes = Number(form.dataset.maxBytes || 0);
      if (maxBytes && file.size > maxBytes) {
        result.innerHTML = "";
        const message = document.createElement("p");
        message.className = "flash error";
        message.textContent = "文件过大（" + (file.size / 1048576).toFixed(1) + " MB），每个文件不能超过 " +
          (maxBytes / 1048576).toFixed(0) + " MB，未上传";
        result.appendChild(message);
        row.dataset.state = "refused";
        resolve();
        return;
      }
      const data = new FormData();
      data.append("files", file, file.name);
      for (const name of ["unit", "year"]) {
        const field = form.elements.namedItem(name);
        if (field && field.value) data.append(name, field.value);
      }
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader(CSRF_HEADER, csrfToken());
      request.setRequestHeader("HX-Request", "true");  // the server answers with a fragment
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) progress.value = Math.round((100 * event.loaded) / event.total);
      });
      request.addEventListener("load", function () {
        progress.value = 100;
        const type = request.getResponseHeader("content-type") || "";
        if (type.startsWith("text/html")) {
          result.innerHTML = request.responseText;  // rendered by the app itself
        } else {
          const message = document.createElement("p");
          message.className = "flash error";
          message.textContent = request.responseText || ("上传失败（" + request.status + "）");
          result.replaceChildren(message);
        }
        row.dataset.state = request.status < 300 ? "done" : "failed";
        resolve();
      });
      request.addEventListener("error", function () {
        result.textContent = "网络错误，未能上传";
        row.dataset.state = "failed";
        resolve();
      });
      request.send(data);
    });
  }

  async function uploadAll(form) {
    const input = form.elements.namedItem("files");
    const results = document.getElementById("upload-results");
    const files = Array.from(input.files);
    if (!files.length) return;
    results.innerHTML = "";
    const button = form.querySelector("[type=submit]");
    button.disabled = true;
    const rows = files.map(function (file, index) {
      const row = document.createElement("div");
      row.className = "upload-item";
      row.dataset.testid = "upload-item-" + index;
      row.dataset.state = "waiting";
      const name = document.createElement("strong");
      name.textContent = file.name;
      const progress = document.createElement("progress");
      progress.max = 100;
      progress.value = 0;
      progress.dataset.testid = "upload-progress-" + index;
      const result = document.createElement("div");
      result.className = "result";
      result.dataset.testid = "upload-result-" + index;
      row.append(name, progress, result);
      results.appendChild(row);
      return row;
    });
    // One at a time: the store takes one file's transaction after another anyway.
    for (let index = 0; index < files.length; index++) {
      rows[index].dataset.state = "uploading";
      await uploadOne(form, files[index], rows[index]);
    }
    button.disabled = false;
    input.value = "";
    results.dataset.done = "true";
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.id === "upload-form" && window.FormData && window.XMLHttpRequest) {
      event.preventDefault();
      uploadAll(form);
    }
  });

  // --- dashboard

  document.addEventListener("change", function (event) {
    const form = event.target.form;
    if (form && form.dataset.autosubmit === "true") form.submit();
  });

  const GRADE_COLOURS = { "优": "#1d7a46", "良": "#1d4f91", "中": "#9a5b00", "差": "#b42318", "无": "#8a8f98" };

  function percent(value) {
    return value === null || value === undefined ? "—" : (value * 100).toFixed(2) + "%";
  }

  function drawDashboard(board, data) {
    const charts = [];
    function chart(id, option) {
      const element = document.getElementById(id);
      if (!element) return;
      const instance = window.echarts.init(element, null, { renderer: "svg" });
      instance.setOption(Object.assign({ animation: false, textStyle: { fontFamily: "Noto Sans CJK SC, sans-serif" } }, option));
      charts.push(instance);
    }
    const bands = Object.keys(data.by_score).reverse();  // the API lists them best first; a histogram goes up
    chart("chart-scores", {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 16, bottom: 28 },
      xAxis: { type: "category", data: bands },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: "表数", barMaxWidth: 48, data: bands.map(function (band) { return data.by_score[band]; }), itemStyle: { color: "#9b1c1c" } }],
    });
    const grades = ["优", "良", "中", "差", "无"].filter(function (grade) { return data.by_grade[grade]; });
    chart("chart-grades", {
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [{
        type: "pie", radius: ["40%", "70%"], center: ["50%", "45%"],
        data: grades.map(function (grade) {
          return { name: grade === "无" ? "无法评级" : grade, value: data.by_grade[grade], itemStyle: { color: GRADE_COLOURS[grade] } };
        }),
      }],
    });
    const units = data.units.filter(function (unit) { return unit.rate !== null; }).reverse();
    const execution = document.getElementById("chart-execution");
    if (execution) execution.style.height = Math.max(160, 36 * units.length + 60) + "px";  // a bar per unit
    chart("chart-execution", {
      tooltip: { trigger: "axis", valueFormatter: percent },
      grid: { left: 220, right: 56, top: 24, bottom: 24 },  // room for the 80% line's label
      xAxis: { type: "value", axisLabel: { formatter: function (value) { return Math.round(value * 100) + "%"; } } },
      yAxis: { type: "category", data: units.map(function (unit) { return unit.unit_name; }), axisLabel: { width: 200, overflow: "truncate" } },
      series: [{
        type: "bar", name: "预算执行率", data: units.map(function (unit) { return unit.rate; }),
        barMaxWidth: 24, itemStyle: { color: "#1d4f91" },
        label: { show: true, position: "right", formatter: function (item) { return percent(item.value); } },
        markLine: {
          symbol: "none", data: [{ xAxis: 0.8 }], lineStyle: { color: "#b42318", type: "dashed" },
          label: { formatter: "80%", color: "#b42318" },
        },
      }],
    });
    const codes = data.top_codes.slice().reverse();
    chart("chart-codes", {
      tooltip: { trigger: "axis" },
      grid: { left: 240, right: 40, top: 8, bottom: 24 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: codes.map(function (item) { return item.code; }) },
      series: [{ type: "bar", name: "次数", barMaxWidth: 18, data: codes.map(function (item) { return item.count; }), itemStyle: { color: "#9a5b00" } }],
    });
    window.addEventListener("resize", function () { charts.forEach(function (instance) { instance.resize(); }); });
    board.dataset.ready = "true";
  }

  function loadDashboard() {
    const board = document.getElementById("dashboard");
    const data = document.getElementById("dashboard-data");
    if (!board || !data || !window.echarts) return;
    drawDashboard(board, JSON.parse(data.textContent));
  }

  // Deferred scripts all run before DOMContentLoaded, echarts.min.js (after this one) included.
  document.addEventListener("DOMContentLoaded", loadDashboard);
})();
