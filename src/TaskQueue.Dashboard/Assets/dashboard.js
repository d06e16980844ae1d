// TaskQueue dashboard: confirmations for dangerous actions, and the overview's live counts and charts.
// No framework and no innerHTML: every value from the server goes into the page through textContent or an
// attribute, so a job argument can never become markup. The page is useful without this file; it only adds
// live updates. Polling stops while the tab is hidden, so a forgotten background tab costs the broker nothing.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 600, HEIGHT = 160, LEFT = 40, BOTTOM = 16, TOP = 8;
  const BUCKET = 10;          // seconds per stats bucket (StatsHistory.BucketSize)
  const HOUR = 3600;
  const COLORS = ["#2f6fde", "#c77c02", "#7a4fd6", "#1f9d55", "#d64545", "#0e8a9b"];
  const STATES = ["queued", "started", "scheduled", "deferred", "finished", "failed", "canceled"];

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    const body = document.body;
    const root = body.getAttribute("data-root");
    const poll = Math.max(1000, parseInt(body.getAttribute("data-poll"), 10) || 5000);
    if (!document.getElementById("chart-throughput")) return;

    const buckets = new Map();  // bucket start (epoch s) -> {finished, failed, ages}
    let latest = 0;
    let timer = null;

    async function refresh() {
      const url = root + "/api/overview" + (latest > 0 ? "?since=" + latest : "");
      try {
        const response = await fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" });
        if (!response.ok) return;
        const overview = await response.json();
        for (const b of overview.stats || []) {
          const start = Math.round(Date.parse(b.start) / 1000);
          buckets.set(start, b);
          if (start > latest) latest = start;
        }
        for (const start of Array.from(buckets.keys())) if (start < latest - HOUR) buckets.delete(start);
        updateCounts(overview);
        drawThroughput();
        drawAges();
        body.setAttribute("data-updated", String(Date.now()));
      } catch (e) {
        // The next poll tries again; a failed fetch (server restarting) is not worth a message.
      }
    }

    function schedule() {
      if (timer) clearInterval(timer);
      timer = document.hidden ? null : setInterval(refresh, poll);
    }
    document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); schedule(); });
    refresh();
    schedule();

    function updateCounts(overview) {
      const count = document.getElementById("workers-count");
      if (count) count.textContent = String(overview.workers);
      const suspended = document.getElementById("suspended");
      if (suspended) suspended.hidden = !overview.suspended;
      const tbody = document.querySelector("#queues tbody");
      if (!tbody) return;
      const rows = new Map();
      for (const row of tbody.querySelectorAll("tr[data-queue]")) rows.set(row.getAttribute("data-queue"), row);
      for (const q of overview.queues) {
        let row = rows.get(q.name);
        if (!row) {
          row = newRow(q.name);
          tbody.appendChild(row);
          const empty = tbody.querySelector("td.empty");
          if (empty) empty.parentNode.remove();
        }
        for (const state of STATES) {
          const cell = row.querySelector('td[data-state="' + state + '"] a');
          if (cell) cell.textContent = String(q[state]);
        }
        const paused = row.querySelector("[data-paused]");
        if (paused) paused.hidden = !q.paused;
        const age = row.querySelector('td[data-state="age"]');
        if (age) age.textContent = q.oldest_age_seconds == null ? "" : duration(q.oldest_age_seconds);
      }
    }

    function newRow(name) {
      const row = document.createElement("tr");
      row.setAttribute("data-queue", name);
      const base = root + "/queues/" + encodeURIComponent(name);
      row.appendChild(linkCell(base, name, null));
      for (const state of STATES) row.appendChild(linkCell(base + "?state=" + state, "0", state));
      const age = document.createElement("td");
      age.className = "age";
      age.setAttribute("data-state", "age");
      row.appendChild(age);
      return row;
    }

    function linkCell(href, text, state) {
      const cell = document.createElement("td");
      if (state) { cell.className = "count"; cell.setAttribute("data-state", state); }
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      cell.appendChild(a);
      return cell;
    }

    function series(read) {
      const points = [];
      for (let t = latest - HOUR + BUCKET; t <= latest; t += BUCKET) {
        const b = buckets.get(t);
        points.push([t, b ? read(b) : 0]);
      }
      return points;
    }

    function drawThroughput() {
      draw(document.getElementById("chart-throughput"), [
        { color: "#1f9d55", points: series(function (b) { return b.finished / BUCKET; }) },
        { color: "#d64545", points: series(function (b) { return b.failed / BUCKET; }) },
      ], "/s");
    }

    function drawAges() {
      const names = new Set();
      for (const b of buckets.values()) for (const name of Object.keys(b.queue_ages || {})) names.add(name);
      const lines = Array.from(names).sort().map(function (name, i) {
        return { color: COLORS[i % COLORS.length], label: name, points: series(function (b) { return (b.queue_ages || {})[name] || 0; }) };
      });
      draw(document.getElementById("chart-age"), lines, "s");
    }

    function draw(svg, lines, unit) {
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      let max = 0;
      for (const line of lines) for (const p of line.points) if (p[1] > max) max = p[1];
      max = max > 0 ? niceCeiling(max) : 1;
      const x = function (t) { return LEFT + (WIDTH - LEFT) * (t - (latest - HOUR)) / HOUR; };
      const y = function (v) { return TOP + (HEIGHT - TOP - BOTTOM) * (1 - v / max); };
      svg.appendChild(element("line", { x1: LEFT, y1: y(0), x2: WIDTH, y2: y(0), class: "axis" }));
      svg.appendChild(element("line", { x1: LEFT, y1: TOP, x2: LEFT, y2: y(0), class: "axis" }));
      svg.appendChild(text(format(max) + unit, 2, TOP + 8));
      svg.appendChild(text("0", 2, y(0)));
      svg.appendChild(text("-60 min", LEFT, HEIGHT - 2));
      svg.appendChild(text("now", WIDTH - 22, HEIGHT - 2));
      lines.forEach(function (line, i) {
        const points = line.points.map(function (p) { return x(p[0]).toFixed(1) + "," + y(p[1]).toFixed(1); }).join(" ");
        svg.appendChild(element("polyline", { points: points, stroke: line.color }));
        if (line.label) {
          const label = text(line.label, LEFT + 6 + i * 90, TOP + 10);
          label.style.fill = line.color;
          svg.appendChild(label);
        }
      });
    }

    function element(name, attributes) {
      const node = document.createElementNS(SVG, name);
      for (const key of Object.keys(attributes)) node.setAttribute(key, String(attributes[key]));
      return node;
    }

    function text(content, x, y) {
      const node = element("text", { x: x, y: y });
      node.textContent = content;
      return node;
    }

    function niceCeiling(v) {
      const power = Math.pow(10, Math.floor(Math.log10(v)));
      for (const step of [1, 2, 5, 10]) if (step * power >= v) return step * power;
      return 10 * power;
    }

    function format(v) { return v >= 10 ? String(Math.round(v)) : String(Math.round(v * 10) / 10); }

    function duration(seconds) {
      if (seconds < 60) return Math.round(seconds) + "s";
      if (seconds < 3600) return Math.floor(seconds / 60) + "m " + Math.round(seconds % 60) + "s";
      if (seconds < 86400) return Math.floor(seconds / 3600) + "h " + Math.floor((seconds % 3600) / 60) + "m";
      return Math.floor(seconds / 86400) + "d " + Math.floor((seconds % 86400) / 3600) + "h";
    }
  });
})();
