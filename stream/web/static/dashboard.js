// The dashboard's only script: polls the worker's JSON API and draws what it returns.
// Article text is untrusted: it only ever goes into the page through textContent.
(function () {
  "use strict";
  const POLL_MS = 3000;
  const EVENTS_SHOWN = 12;
  const PRECISION = { 1: "the town", 2: "its region or district", 3: "only the country" };
  const SPARK_POINTS = 60;
  const SVG = "http://www.w3.org/2000/svg";
  // With STREAM_WEB_TOKEN set, the page is opened as /dashboard?token=...; the API calls carry it as a header.
  const token = new URLSearchParams(location.search).get("token") || "";
  const processedRates = [];

  async function getJson(path) {
    const response = await fetch(path, {
      headers: token ? { Authorization: "Bearer " + token } : {},
      cache: "no-store",
    });
    if (!response.ok) throw new Error(path + " answered HTTP " + response.status);
    return response.json();
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    return node;
  }

  function setText(id, text) {
    document.getElementById(id).textContent = text;
  }

  function fillRows(id, rows) {
    const body = document.getElementById(id);
    body.replaceChildren(...rows.map(function (cells) {
      const tr = el("tr");
      cells.forEach(function (cell, i) { tr.append(el("td", i ? "n" : "", cell)); });
      return tr;
    }));
  }

  function number(value) {
    return value === null || value === undefined ? "–" : value.toLocaleString("en", { maximumFractionDigits: 2 });
  }

  function duration(seconds) {
    const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = Math.floor(seconds % 60);
    return h ? h + "h " + m + "m" : m ? m + "m " + s + "s" : s + "s";
  }

  function showStatus(ready) {
    const pill = document.getElementById("status");
    pill.textContent = ready.status === "ok" ? "ready" : "not ready";
    pill.className = "pill " + (ready.status === "ok" ? "ok" : "fail");
    pill.title = ready.reason || "every check passes";
  }

  function drawSparkline(rate) {
    processedRates.push(rate);
    if (processedRates.length > SPARK_POINTS) processedRates.shift();
    const top = Math.max(1, ...processedRates);
    const step = 120 / (SPARK_POINTS - 1);
    const first = SPARK_POINTS - processedRates.length;  // the newest poll is always at the right edge
    const points = processedRates.map(function (value, i) {
      return ((first + i) * step).toFixed(1) + "," + (30 - (value / top) * 28).toFixed(1);
    });
    document.querySelector("#sparkline polyline").setAttribute("points", points.join(" "));
  }

  function showStats(stats) {
    showStatus(stats.worker.ready);
    setText("extractor", stats.worker.extractor_version);
    setText("uptime", duration(stats.worker.uptime_seconds));
    setText("updated", new Date().toLocaleTimeString("en-GB"));
    for (const [name, value] of Object.entries(stats.per_second)) setText("rate-" + name, number(value));
    drawSparkline(stats.per_second.processed);
    fillRows("totals", Object.entries(stats.totals).map(function ([name, value]) {
      return [name.replace(/_/g, " "), number(value)];
    }));
    const topics = Object.entries(stats.group.topics);
    fillRows("topics", topics.length ? topics.map(function ([topic, t]) {
      return [topic, number(t.in_per_s), number(t.done_per_s), number(t.lag)];
    }) : [[stats.group.error ? "Kafka: " + stats.group.error : "waiting for Kafka's offsets", "", "", ""]]);
    fillRows("partitions", stats.group.partitions.map(function (p) {
      return [p.topic + " [" + p.partition + "]", number(p.committed) + " / " + number(p.end), number(p.lag)];
    }));
    const reasons = Object.entries(stats.dead_letters).sort(function (a, b) { return b[1] - a[1]; });
    fillRows("reasons", reasons.length ? reasons : [["none", ""]]);
  }

  function evidence(pieces) {
    const quote = el("blockquote", "evidence");
    pieces.forEach(function (piece) {
      quote.append(piece.mark ? el("mark", piece.mark, piece.text) : document.createTextNode(piece.text));
    });
    return quote;
  }

  function eventItem(event) {
    const item = el("li", "event " + event.type);
    const headline = el("div", "headline");
    headline.append(el("span", "what", event.what.replace(/_/g, " ")));
    const what = [event.figure && event.figure.text, event.who].filter(Boolean).join(" ");
    if (what) headline.append(el("strong", "", what));
    if (event.figure) headline.append(el("span", "best", "= " + number(event.figure.best)));
    if (event.by) headline.append(el("span", "by", "by " + event.by));
    headline.append(el("span", "when-where", [event.date, event.place].filter(Boolean).join(" · ")));
    item.append(headline, evidence(event.evidence));
    const meta = el("div", "meta");
    if (event.attribution) meta.append(el("span", "", "says " + event.attribution + " · "));
    meta.append(el("span", "flag", event.certainty));
    if (event.counted === false) meta.append(" ", el("span", "flag", "not counted"));
    const received = "received " + new Date(event.received_at).toLocaleTimeString("en-GB");
    meta.append(el("div", "", [event.title || event.article_id, "r" + event.revision, event.source, received]
      .filter(Boolean).join(" · ")));
    item.append(meta);
    return item;
  }

  function showEvents(id, events) {
    const list = document.getElementById(id);
    list.replaceChildren(...(events.length ? events.map(eventItem) : [el("li", "note", "none yet")]));
  }

  function figures(counts) {
    return Object.entries(counts).map(function ([status, c]) {
      const spread = c.min === c.max ? "" : " (" + number(c.min) + "–" + number(c.max) + ")";
      return status + " " + number(c.best) + spread;
    }).join(", ");
  }

  function incidentItem(incident) {
    const item = el("li", "event incident " + incident.status);
    const headline = el("div", "headline");
    headline.append(el("span", "what", (incident.types.join(", ") || "casualties").replace(/_/g, " ")));
    const counts = figures(incident.counts);
    if (counts) headline.append(el("strong", "", counts));
    if (incident.actors.length) headline.append(el("span", "by", "by " + incident.actors.join(", ")));
    const when = incident.time ? (incident.time.start === incident.time.end ? incident.time.start
      : incident.time.start + " – " + incident.time.end) + (incident.time.dated ? "" : " (undated)") : null;
    headline.append(el("span", "when-where", [when, incident.place].filter(Boolean).join(" · ")));
    item.append(headline);
    const sources = el("ul", "sources");
    incident.sources.forEach(function (source) {
      sources.append(el("li", "", [source.title || source.article_id, source.source, source.published_at]
        .filter(Boolean).join(" · ")));
    });
    item.append(sources);
    const meta = el("div", "meta");
    meta.append(el("span", "flag", incident.status), " ",
                el("span", "", incident.sources.length + " source(s) · r" + incident.revision + " · " +
                   incident.incident_id + (incident.merged_into ? " → " + incident.merged_into : "")));
    item.append(meta);
    return item;
  }

  function showIncidents(incidents) {
    const list = document.getElementById("incident-list");
    list.replaceChildren(...(incidents.length ? incidents.map(incidentItem) : [el("li", "note", "none yet")]));
  }

  function drawGraticule() {
    const group = document.getElementById("graticule");
    for (let x = 0; x <= 360; x += 10) group.append(svg("line", { x1: x, y1: 0, x2: x, y2: 180 }));
    for (let y = 0; y <= 180; y += 10) {
      const line = svg("line", { x1: 0, y1: y, x2: 360, y2: y });
      if (y === 90) line.setAttribute("class", "equator");
      group.append(line);
    }
  }

  // The map's coordinates are degrees (x = longitude + 180, y = 90 - latitude): zooming in on the
  // events is a matter of the viewBox, kept 2:1 and at least 60 degrees wide.
  function fitView(points) {
    if (!points.length) return [0, 0, 360, 180];
    const xs = points.map(function (p) { return p.x; }), ys = points.map(function (p) { return p.y; });
    const width = Math.min(360, Math.max(60, Math.max(...xs) - Math.min(...xs) + 20,
                                         2 * (Math.max(...ys) - Math.min(...ys) + 10)));
    const clamp = function (value, most) { return Math.min(Math.max(value, 0), most); };
    const left = clamp((Math.min(...xs) + Math.max(...xs) - width) / 2, 360 - width);
    const top = clamp((Math.min(...ys) + Math.max(...ys) - width / 2) / 2, 180 - width / 2);
    return [left, top, width, width / 2];
  }

  function drawPoints(events) {
    const placed = events.filter(function (event) { return event.point; });
    const view = fitView(placed.map(function (event) { return event.point; }));
    document.getElementById("world").setAttribute("viewBox", view.map(function (n) { return n.toFixed(1); }).join(" "));
    const radius = view[2] / 100;
    const dots = placed.map(function (event) {
      const dot = svg("circle", { cx: event.point.x, cy: event.point.y, r: radius.toFixed(2),
                                  class: event.type + " precision-" + (event.precision || "unknown") });
      const tooltip = svg("title", {});
      tooltip.textContent = event.what + " · " + (event.place || "") + " · " + (PRECISION[event.precision] || "");
      dot.append(tooltip);
      return dot;
    });
    const labelled = new Map(placed.filter(function (event) { return event.place; })
      .map(function (event) { return [event.place, event.point]; }));
    const labels = Array.from(labelled, function ([place, point]) {
      const label = svg("text", { x: (point.x + radius * 1.6).toFixed(2), y: (point.y + radius * 0.6).toFixed(2),
                                  "font-size": (radius * 3.2).toFixed(2) });
      label.textContent = place;
      return label;
    });
    document.getElementById("points").replaceChildren(...dots, ...labels);
    document.getElementById("map-note").hidden = placed.length > 0;
  }

  async function refresh() {
    const problem = document.getElementById("problem");
    try {
      const [stats, casualties, attacks, incidents] = await Promise.all([
        getJson("/api/stats"),
        getJson("/api/recent?type=casualty&limit=" + EVENTS_SHOWN),
        getJson("/api/recent?type=attack&limit=" + EVENTS_SHOWN),
        getJson("/api/incidents?limit=" + EVENTS_SHOWN),
      ]);
      showStats(stats);
      showEvents("casualty-events", casualties.events);
      showEvents("attack-events", attacks.events);
      showIncidents(incidents.incidents);
      drawPoints(casualties.events.concat(attacks.events));
      problem.hidden = true;
    } catch (error) {
      problem.textContent = "Cannot reach the worker: " + error.message;
      problem.hidden = false;
    }
  }

  drawGraticule();
  refresh();
  setInterval(refresh, POLL_MS);
})();
