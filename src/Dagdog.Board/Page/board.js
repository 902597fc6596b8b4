"use strict";
// The Dagdog board: the DAG laid out by dagre, coloured by status, live from the board's events (Server-Sent Events)
// or, in a snapshot file, from the data inlined in it (window.DAGDOG_SNAPSHOT). Read-only: it never asks for a change.
(() => {
  const snapshot = window.DAGDOG_SNAPSHOT || null;
  const SVG = "http://www.w3.org/2000/svg";
  const $ = id => document.getElementById(id);
  const state = { doc: null, cycle: null, running: new Map(), finished: new Map(), selected: null, shape: "", boxes: new Map(), shown: null };
  // Where the DAG is drawn; fitted to the area until the user pans or zooms.
  const view = { x: 20, y: 20, k: 1, moved: false, width: 0, height: 0 };
  // Order of precedence when a family's instances differ: the node shows the first one any instance has.
  const worst = ["running", "failed", "willRun", "neverRan", "upToDate"];

  function html(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
      else if (value !== undefined && value !== null) element.setAttribute(name, value);
    }
    for (const child of children.flat()) if (child !== null && child !== undefined) element.append(child);
    return element;
  }

  function svg(tag, attributes) {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) element.setAttribute(name, value);
    return element;
  }

  const tasks = () => (state.doc ? state.doc.tasks : []);
  const style = name => (state.doc ? state.doc.statuses.find(s => s.name === name) : null);
  const label = name => (name === "running" ? "running" : (style(name) || { label: name }).label);

  function unit(name) {
    for (const task of tasks()) {
      if (task.name === name) return task;
      for (const instance of task.instances || []) if (instance.name === name) return instance;
    }
    return null;
  }

  // A unit's status now: running or just finished (live events), else the document's.
  function statusOf(u) {
    if (state.running.has(u.name)) return "running";
    if (state.finished.has(u.name)) return state.finished.get(u.name);
    return u.status;
  }

  function nodeStatus(task) {
    if (!task.instances || task.instances.length === 0) return statusOf(task);
    const statuses = task.instances.map(statusOf);
    return worst.find(s => statuses.includes(s)) || statusOf(task);
  }

  function counts(task) {
    const byStatus = new Map();
    for (const instance of task.instances) byStatus.set(statusOf(instance), (byStatus.get(statusOf(instance)) || 0) + 1);
    return worst.filter(s => byStatus.has(s)).map(s => `${byStatus.get(s)} ${label(s)}`).join(", ");
  }

  // The run report's words for how a turn ended, as the board shows them until the next document.
  function afterFinish(status) {
    if (status === "failed" || status === "interrupted") return "failed";
    if (status === "not-run") return null;
    return "upToDate";
  }

  function apply(message) {
    if (message.document) {
      state.doc = message.document;
      state.cycle = null;
      state.running.clear();
      state.finished.clear();
      state.refresh = true;
    } else if (message.started) {
      state.running.set(message.started.name, Date.parse(message.started.startedUtc));
      state.refresh = concerns(message.started.name);
    } else if (message.finished) {
      state.running.delete(message.finished.name);
      const status = afterFinish(message.finished.status);
      if (status) state.finished.set(message.finished.name, status);
      state.refresh = concerns(message.finished.name);
    } else if (message.cycle) {
      state.cycle = message.cycle;
    }
    render();
  }

  // Whether the panel shows the unit, or the family it is an instance of: only then is the panel made again.
  function concerns(name) {
    return state.selected === name || state.selected === familyOf(name);
  }

  function familyOf(name) {
    const bracket = name.indexOf("[");
    return bracket > 0 ? name.slice(0, bracket) : null;
  }

  function render() {
    // What the watch does shows before its first document too ("the project did not build").
    $("cycle").textContent = state.cycle || (state.doc && state.doc.cycle) || "";
    if (!state.doc) return;
    $("project").textContent = `Dagdog: ${state.doc.project}`;
    document.title = `${state.doc.project} · Dagdog board`;
    legend();
    const shape = JSON.stringify(tasks().map(t => [t.name, t.parents, t.instances ? t.instances.length : -1]));
    if (shape !== state.shape) {
      state.shape = shape;
      layout();
    }
    paint();
    if (!state.selected && location.hash.length > 1 && unit(decodeURIComponent(location.hash.slice(1)))) select(decodeURIComponent(location.hash.slice(1)));
    else if (state.selected && state.refresh) panel(true);
    state.refresh = false;
  }

  function legend() {
    const box = $("legend");
    if (box.childElementCount) return;
    for (const s of state.doc.statuses) {
      const swatch = html("span", { class: "swatch" });
      swatch.style.background = s.fill;
      swatch.style.borderColor = s.stroke;
      box.append(html("span", {}, swatch, s.label));
    }
    box.append(html("span", {}, html("span", { class: "swatch running" }), "running"));
  }

  function title(task) {
    return task.instances ? `${task.index}: ${task.name} ×${task.instances.length}` : `${task.index}: ${task.name}`;
  }

  function layout() {
    const graph = new dagre.graphlib.Graph();
    graph.setGraph({ rankdir: "LR", nodesep: 14, ranksep: 48, marginx: 10, marginy: 10 });
    graph.setDefaultEdgeLabel(() => ({}));
    // A family's line of counts as it is now, with room for a status more.
    for (const task of tasks()) graph.setNode(task.name, { width: Math.max(90, 8 * title(task).length + 24, task.instances ? 7 * counts(task).length + 60 : 0), height: task.instances ? 46 : 34 });
    for (const task of tasks()) for (const parent of task.parents) graph.setEdge(parent, task.name);
    dagre.layout(graph);

    const root = $("view");
    root.replaceChildren();
    state.boxes.clear();
    for (const edge of graph.edges()) {
      const points = graph.edge(edge).points.map(p => `${p.x},${p.y}`).join(" L");
      root.append(svg("path", { class: "edge", d: `M${points}`, "marker-end": "url(#arrow)" }));
    }
    for (const task of tasks()) {
      const box = graph.node(task.name);
      const group = svg("g", { class: "node", "data-name": task.name, transform: `translate(${box.x - box.width / 2},${box.y - box.height / 2})` });
      const rect = svg("rect", { width: box.width, height: box.height });
      const text = svg("text", { x: 10, y: 21 });
      text.textContent = title(task);
      group.append(rect, text);
      if (task.instances) group.append(svg("text", { class: "sub", x: 10, y: 38 }));
      group.addEventListener("click", event => {
        event.stopPropagation();
        select(task.name);
      });
      root.append(group);
      state.boxes.set(task.name, { group, rect, sub: group.querySelector(".sub"), box });
    }
    const defs = svg("defs");
    const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#adb5bd" }));
    defs.append(marker);
    root.prepend(defs);
    const size = graph.graph();
    view.width = size.width;
    view.height = size.height;
    view.moved = false;
    fit();
  }

  function fit() {
    const area = $("graph").getBoundingClientRect();
    if (!view.width || !area.width) return;
    view.k = Math.min(1.5, Math.max(0.05, Math.min((area.width - 40) / view.width, (area.height - 40) / view.height)));
    view.x = 20;
    view.y = 20;
    move();
  }

  function paint() {
    for (const task of tasks()) {
      const drawn = state.boxes.get(task.name);
      if (!drawn) continue;
      const status = nodeStatus(task);
      drawn.group.setAttribute("class", `node s-${status}` + (state.selected && (state.selected === task.name || familyOf(state.selected) === task.name) ? " selected" : "") + (matches(task) ? "" : " dim"));
      drawn.group.setAttribute("data-status", status);
      const s = style(status);
      if (s) {
        drawn.rect.setAttribute("fill", s.fill);
        drawn.rect.setAttribute("stroke", s.stroke);
      } else {
        drawn.rect.removeAttribute("fill");
        drawn.rect.removeAttribute("stroke");
      }
      if (drawn.sub) drawn.sub.textContent = counts(task);
      let tip = drawn.group.querySelector("title");
      if (!tip) drawn.group.append(tip = svg("title"));
      tip.textContent = `${task.name}: ${label(status)}${task.reason ? ` (${task.reason})` : ""}${running(task.name)}`;
    }
  }

  function running(name) {
    return state.running.has(name) ? `, ${((Date.now() - state.running.get(name)) / 1000).toFixed(1)} s` : "";
  }

  function matches(task) {
    const query = $("search").value.trim().toLowerCase();
    return !query || task.name.toLowerCase().includes(query) || (task.instances || []).some(i => i.name.toLowerCase().includes(query));
  }

  function move() {
    $("view").setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`);
  }

  function select(name) {
    state.selected = name;
    // The address names the task shown, to share or reload: board.html#Fit[Gentoo].
    try {
      history.replaceState(null, "", `#${name.replace(/[%#\s]/g, encodeURIComponent)}`);
    } catch {
      // A file opened from disk may not change its address: the board works the same.
    }
    state.shown = null;
    paint();
    panel(true);
  }

  function size(bytes) {
    if (bytes === null || bytes === undefined) return "missing";
    const units = ["B", "KB", "MB", "GB", "TB"];
    let value = bytes, i = 0;
    while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
    return `${i === 0 ? value : value.toFixed(1)} ${units[i]}`;
  }

  const when = text => (text ? new Date(text).toLocaleString() : "");

  function panel(refresh) {
    const u = unit(state.selected);
    const box = $("panel");
    if (!u) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const status = u.instances ? nodeStatus(u) : statusOf(u);
    const keepScroll = box.scrollTop;
    const parts = [
      html("h2", { id: "panel-title" }, u.name),
      html("p", { class: "status-line", "data-status": status }, html("strong", {}, label(status)), running(u.name),
        u.reason && status !== "running" && status !== "upToDate" ? html("span", { class: "reason" }, ` · ${u.reason}`) : null),
    ];
    if (u.lastRun) {
      parts.push(html("p", { class: "meta" }, `Last run ${when(u.lastRun.startedUtc)}, took ${u.lastRun.seconds.toFixed(2)} s${u.lastRun.succeeded ? "" : ", failed"}`));
      if (u.lastRun.error) parts.push(html("pre", { class: "error", id: "error" }, u.lastRun.error));
    }
    if (u.metrics && u.metrics.length) parts.push(metrics(u.metrics));
    if (u.history && u.history.length > 1) parts.push(history(u.history));
    parts.push(html("h3", {}, "Run just this"), html("code", { class: "command" }, u.command));
    if (u.instances) parts.push(html("h3", {}, `Instances (${counts(u)})`), grid(u));
    parts.push(files("Outputs", u.outputs), files("Inputs", u.inputs));
    parts.push(html("h3", {}, "Preview"), html("div", { class: "preview-box", id: "preview" }, "Choose a file above."));
    if (!u.instances) parts.push(html("h3", {}, "Log ", html("span", { class: "meta" }, u.log)), html("pre", { class: "log", id: "log" }, ""));
    const previous = state.shown;
    box.replaceChildren(...parts);
    box.scrollTop = keepScroll;
    const first = previous || (u.outputs.find(f => f.bytes != null) || {}).path;
    if (first) show(first, refresh);
    if (!u.instances) log(u);
  }

  // A small line over values, scaled between their least and greatest.
  function spark(values, width, height, what) {
    const low = Math.min(...values), high = Math.max(...values), span = high - low || 1;
    const x = i => (values.length === 1 ? width / 2 : (i * width) / (values.length - 1));
    const points = values.map((v, i) => `${x(i)},${height - ((v - low) / span) * (height - 4) - 2}`).join(" ");
    const chart = svg("svg", { class: "history", width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": what });
    chart.append(svg("polyline", { points }));
    return chart;
  }

  function history(seconds) {
    return html("div", {}, html("h3", {}, `Durations over the last ${seconds.length} runs (s)`), spark(seconds, 220, 40, "durations over the kept runs"),
      html("span", { class: "meta" }, seconds.map(s => s.toFixed(2)).join(" · ")));
  }

  const number = v => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6))));

  // The numbers its JSON outputs held at its last run: did the change improve the fit?
  function metrics(list) {
    const rows = list.map(m => {
      const delta = m.previous === null || m.previous === undefined ? null : m.value - m.previous;
      const change = delta === null ? "new" : delta === 0 ? "=" : `${delta > 0 ? "▲ +" : "▼ "}${number(Number(delta.toPrecision(6)))}`;
      return html("tr", { "data-metric": m.name, "data-file": m.file }, html("td", { title: m.file }, m.name), html("td", { class: "value" }, number(m.value)),
        html("td", { class: "change" }, change), html("td", {}, m.history.length > 1 ? spark(m.history, 90, 20, `${m.name} over the kept runs`) : ""));
    });
    return html("div", {}, html("h3", {}, "Numbers in its outputs, against the run before"),
      html("table", { class: "files", id: "metrics" }, html("tr", {}, html("th", {}, "name"), html("th", {}, "value"), html("th", {}, "change"), html("th", {}, "kept runs")), rows));
  }

  function grid(family) {
    return html("div", { class: "grid", id: "instances" }, family.instances.map(instance => {
      const status = statusOf(instance);
      const button = html("button", { class: `s-${status}`, "data-name": instance.name, "data-status": status, title: `${instance.name}: ${label(status)}`, onclick: () => select(instance.name) }, instance.key);
      const s = style(status);
      if (s) {
        button.style.background = s.fill;
        button.style.borderColor = s.stroke;
      }
      return button;
    }));
  }

  function files(heading, list) {
    if (!list.length) return html("div", {}, html("h3", {}, heading), html("p", { class: "meta" }, "none declared"));
    return html("div", {}, html("h3", {}, heading), html("table", { class: "files" },
      html("tr", {}, html("th", {}, "file"), html("th", {}, "size"), html("th", {}, "modified")),
      list.map(f => html("tr", { class: "file" + (state.shown === f.path ? " shown" : ""), "data-path": f.path, onclick: () => show(f.path, true) },
        html("td", {}, f.path), html("td", {}, size(f.bytes)), html("td", {}, when(f.modifiedUtc))))));
  }

  const query = path => encodeURIComponent(path);

  async function show(path, refresh) {
    state.shown = path;
    for (const row of document.querySelectorAll("tr.file")) row.classList.toggle("shown", row.dataset.path === path);
    const box = $("preview");
    if (!box) return;
    let preview;
    try {
      preview = snapshot ? snapshot.previews[path] : await (await fetch(`preview?path=${query(path)}`, { cache: "no-store" })).json();
    } catch {
      preview = null;
    }
    if (state.shown !== path || !document.body.contains(box)) return;
    box.replaceChildren(html("div", { class: "meta" }, path, preview && preview.bytes ? ` · ${size(preview.bytes)}` : ""), previewOf(preview, path, refresh));
    box.dataset.kind = preview ? preview.kind : "none";
  }

  function previewOf(preview, path, refresh) {
    if (!preview) return html("p", { class: "meta" }, "No preview.");
    const stamp = refresh ? `&t=${Date.now()}` : "";
    switch (preview.kind) {
      case "missing": return html("p", { class: "meta" }, "Not there yet.");
      case "table": return table(preview);
      case "json": return json(preview);
      case "image": return html("img", { alt: path, src: preview.data || `file?path=${query(path)}${stamp}` });
      case "html": {
        const frame = html("iframe", { sandbox: "", title: path });
        if (preview.document !== undefined) frame.srcdoc = preview.document;
        else frame.src = `file?path=${query(path)}${stamp}`;
        return frame;
      }
      case "markdown": {
        const frame = html("iframe", { sandbox: "", title: path });
        frame.srcdoc = preview.rendered;
        return frame;
      }
      case "text": return html("pre", { class: "text" }, preview.head + (preview.truncated ? "\n…" : ""));
      default: return html("p", { class: "meta" }, `${size(preview.bytes)}${preview.sha256 ? `, SHA-256 ${preview.sha256}` : ""}`);
    }
  }

  function table(preview) {
    const rows = preview.rows.map(row => html("tr", {}, row.map(cell => html("td", {}, cell))));
    return html("div", {},
      html("p", { class: "meta", id: "row-count" }, `${preview.estimated ? "about " : ""}${preview.rowCount.toLocaleString()} rows, ${preview.columns.length} columns` +
        (preview.rows.length < preview.rowCount ? ` · the first ${preview.rows.length} shown` : "")),
      html("table", { class: "preview" }, html("tr", {}, preview.columns.map(c => html("th", {}, c))), rows));
  }

  function json(preview) {
    let value;
    try {
      value = JSON.parse(preview.text);
    } catch {
      return html("pre", { class: "text" }, preview.text + (preview.truncated ? "\n…" : ""));
    }
    return tree(null, value, 0);
  }

  function tree(key, value, depth) {
    const name = key === null ? null : html("span", { class: "json-key" }, `${key}: `);
    if (value !== null && typeof value === "object") {
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
      const summary = html("summary", {}, name, Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`);
      const details = html("details", { class: "json" }, summary, entries.slice(0, 500).map(([k, v]) => tree(k, v, depth + 1)));
      if (depth < 2) details.open = true;
      return details;
    }
    return html("div", { class: "json-leaf" }, name, JSON.stringify(value));
  }

  async function log(u) {
    const box = $("log");
    if (!box || state.logging) return;
    let text = "";
    if (snapshot) text = snapshot.logs[u.log] || "";
    else {
      // One request at a time: a slow answer is never overtaken by an older one.
      state.logging = true;
      try {
        const response = await fetch(`log?path=${query(u.log)}`, { cache: "no-store" });
        text = response.ok ? await response.text() : "";
      } catch {
        text = "";
      } finally {
        state.logging = false;
      }
    }
    if (document.body.contains(box) && box.textContent !== (text || "(no log yet)")) {
      // Followed at its end, unless the reader scrolled up.
      const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
      box.textContent = text || "(no log yet)";
      if (atEnd) box.scrollTop = box.scrollHeight;
    }
  }

  // Pan with the mouse, zoom with the wheel around the pointer.
  function interact() {
    const area = $("dag");
    let drag = null;
    area.addEventListener("mousedown", e => {
      drag = { x: e.clientX - view.x, y: e.clientY - view.y };
      area.classList.add("panning");
    });
    window.addEventListener("mousemove", e => {
      if (!drag) return;
      view.moved = true;
      view.x = e.clientX - drag.x;
      view.y = e.clientY - drag.y;
      move();
    });
    window.addEventListener("mouseup", () => {
      drag = null;
      area.classList.remove("panning");
    });
    area.addEventListener("wheel", e => {
      e.preventDefault();
      const r = area.getBoundingClientRect();
      const factor = Math.exp(-e.deltaY * 0.0015);
      const k = Math.min(4, Math.max(0.02, view.k * factor));
      const px = e.clientX - r.left, py = e.clientY - r.top;
      view.x = px - ((px - view.x) * k) / view.k;
      view.y = py - ((py - view.y) * k) / view.k;
      view.k = k;
      view.moved = true;
      move();
    }, { passive: false });
    // The panel opening takes room from the DAG: fitted again, unless the user placed it.
    new ResizeObserver(() => {
      if (!view.moved) fit();
    }).observe($("graph"));
    $("search").addEventListener("input", paint);
    $("search").addEventListener("keydown", e => {
      if (e.key !== "Enter") return;
      const found = tasks().find(matches);
      if (!found) return;
      select(found.name);
      // Once the panel took its room: the task in the middle, large enough to read.
      requestAnimationFrame(() => {
        const drawn = state.boxes.get(found.name);
        const r = area.getBoundingClientRect();
        view.k = Math.max(view.k, 1);
        view.x = r.width / 2 - drawn.box.x * view.k;
        view.y = r.height / 2 - drawn.box.y * view.k;
        view.moved = true;
        move();
      });
    });
  }

  interact();
  if (snapshot) {
    $("connection").textContent = `snapshot of ${when(snapshot.document.writtenUtc)}`;
    apply({ document: snapshot.document });
    return;
  }
  const events = new EventSource("events");
  events.onopen = () => {
    $("connection").textContent = "live";
    $("connection").classList.remove("lost");
  };
  events.onerror = () => {
    $("connection").textContent = "disconnected: the watch ended, or is restarting";
    $("connection").classList.add("lost");
  };
  events.onmessage = e => apply(JSON.parse(e.data));
  // Running units' elapsed times, and their logs' tails.
  setInterval(() => {
    if (!state.running.size) return;
    paint();
    const u = state.selected && unit(state.selected);
    if (u && state.running.has(u.name)) {
      const line = document.querySelector("#panel .status-line");
      if (line) line.childNodes[1].textContent = running(u.name);
      log(u);
    }
  }, 500);
})();
