/* linkgraph explore — the page.  Text goes in with textContent only; every
   request goes to this origin; positions come from a d3-force layout with
   collision (node radius + padding), drawn by sigma.js with sizes in graph
   units, so what does not overlap in the layout does not overlap on screen. */
(function () {
  "use strict";
  var W = {}, META = null, graph, renderer;
  var state = { order: [], from: null, to: null, filters: {}, path: null };
  var PAD = 8, LABEL_PX = 13, SCALE = 0.45, MIN_EXTENT = 240;
  var HARD = "#d62728", SOFT = "#ff8c00", EDGE = "#b8bcc2";
  var api = { ready: false };
  window.linkgraphExplore = api;

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmt(word, args) {
    return String(W[word] || word).replace(/\{(\w+)\}/g, function (_, k) {
      return args && args[k] !== undefined ? String(args[k]) : "";
    });
  }
  function status(text) { $("lg-status").textContent = text; }
  function lang() { return META ? META.lang : "zh"; }

  function get(path, params) {
    var q = new URLSearchParams(params || {});
    q.set("lang", lang());
    return fetch(path + "?" + q.toString(), { credentials: "same-origin" }).then(check);
  }
  function post(path, body, params) {
    var q = new URLSearchParams(params || {});
    q.set("lang", lang());
    return fetch(path + "?" + q.toString(), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r;
    });
  }
  function check(r) {
    if (!r.ok) throw new Error(String(r.status));
    return r.json();
  }
  function fail(e) { status(fmt("error", { e: e && e.message ? e.message : e })); }

  // ---- filters ------------------------------------------------------------
  function filterParams() {
    var f = {}, labels = [], boxes = document.querySelectorAll("#lg-filter-labels input");
    var all = true;
    boxes.forEach(function (b) { if (b.checked) labels.push(b.value); else all = false; });
    if (!all) f.labels = labels.join(",");
    var rounds = Array.from($("lg-filter-rounds").selectedOptions).map(function (o) { return o.value; });
    if (rounds.length) f.rounds = rounds.join(",");
    var terms = Array.from($("lg-filter-terms").selectedOptions).map(function (o) { return o.value; });
    if (terms.length) f.terms = terms.join(",");
    if ($("lg-date-from").value) f.from = $("lg-date-from").value;
    if ($("lg-date-to").value) f.to = $("lg-date-to").value;
    return f;
  }
  function assign(a, b) { Object.keys(b).forEach(function (k) { a[k] = b[k]; }); return a; }

  // ---- the graph ------------------------------------------------------------
  function addNode(n, near) {
    if (graph.hasNode(n.key)) return false;
    var base = near && graph.hasNode(near) ? graph.getNodeAttributes(near) : { x: 0, y: 0, size: 0 };
    var k = state.order.length;
    var angle = k * 2.399963, dist = (base.size || 0) + n.size + 40 + 9 * Math.sqrt(k % 200);
    graph.addNode(n.key, {
      x: base.x + Math.cos(angle) * dist, y: base.y + Math.sin(angle) * dist,
      size: n.size * SCALE, color: n.color, label: n.text, kind: n.label, kindName: n.label_name,
      context: n.context || [], aggregate: null, fresh: true
    });
    state.order.push(n.key);
    return true;
  }
  function addAggregate(a) {
    var existing = graph.hasNode(a.key);
    var size = Math.min(10 + 3 * Math.log(1 + a.count), 30) * SCALE;
    if (existing) {
      graph.mergeNodeAttributes(a.key, { label: a.text, size: size, aggregate: a });
      return;
    }
    addNode({ key: a.key, size: size / SCALE, color: "#a0a0a0", text: a.text, label: a.label,
              label_name: a.label_name, context: [W.aggregate_hint] }, a.center);
    graph.mergeNodeAttributes(a.key, { aggregate: a });
    if (graph.hasNode(a.center)) addEdge({ id: "agg-" + a.key, source: a.center, target: a.key,
                                          text: "" });
  }
  function addEdge(e) {
    if (graph.hasEdge(e.id) || !graph.hasNode(e.source) || !graph.hasNode(e.target)) return;
    graph.addEdgeWithKey(e.id, e.source, e.target, {
      size: 1, color: EDGE, relation: e.text, type: "line", kind: e.type });
  }
  function removeNode(key) {
    if (!graph.hasNode(key)) return;
    graph.dropNode(key);
    state.order = state.order.filter(function (k) { return k !== key; });
  }

  // d3-force with collision; nodes placed earlier stay where they are.
  function layout() {
    var nodes = [], byKey = {}, fresh = 0;
    graph.forEachNode(function (key, a) {
      var d = { id: key, x: a.x, y: a.y, r: a.size + PAD };
      if (!a.fresh) { d.fx = a.x; d.fy = a.y; } else fresh++;
      byKey[key] = d; nodes.push(d);
    });
    if (!fresh) return;
    var links = [];
    graph.forEachEdge(function (e, a, s, t) { links.push({ source: s, target: t }); });
    var sim = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(links).id(function (d) { return d.id; })
        .distance(function (l) { return l.source.r + l.target.r + 50; }).strength(0.4))
      .force("charge", d3.forceManyBody().strength(-80).distanceMax(400))
      .force("collide", d3.forceCollide(function (d) { return d.r; }).strength(1).iterations(4))
      .stop();
    if (fresh === nodes.length) sim.force("center", d3.forceCenter(0, 0));
    var ticks = Math.min(300, Math.max(120, Math.round(600000 / (nodes.length + 1000))));
    for (var i = 0; i < ticks; i++) sim.tick();
    // collision only, to settle what the other forces left touching
    sim.force("link", null).force("charge", null).force("center", null);
    for (i = 0; i < 60; i++) sim.tick();
    nodes.forEach(function (d) {
      graph.mergeNodeAttributes(d.id, { x: d.x, y: d.y, fresh: false });
    });
  }
  // Fit the picture into what the details panel leaves free: zoom out by the share the
  // panel covers and pan so the picture's centre sits in the middle of the free part.
  function fit() {
    // frame the nodes' circles, not just their centres, and never less than MIN_EXTENT graph
    // units, so one node (or a few close ones) is drawn at its size and not blown up
    var b = bounds(), cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
    var half = Math.max(b.x1 - b.x0, b.y1 - b.y0, MIN_EXTENT) / 2;
    renderer.setCustomBBox({ x: [Math.min(b.x0, cx - half), Math.max(b.x1, cx + half)],
                             y: [Math.min(b.y0, cy - half), Math.max(b.y1, cy + half)] });
    var dims = renderer.getDimensions(), box = $("lg-details");
    var cover = box.hidden ? 0 : box.getBoundingClientRect().width;
    var state0 = { x: 0.5, y: 0.5, ratio: 1, angle: 0 };
    if (cover > 0 && dims.width - cover >= 160) {
      state0.ratio = dims.width / (dims.width - cover);
      var mid = { x: dims.width / 2, y: dims.height / 2 }, opt = { cameraState: state0 };
      var a = renderer.viewportToFramedGraph(mid, opt);
      var b = renderer.viewportToFramedGraph({ x: mid.x + cover / 2, y: mid.y }, opt);
      state0.x = 0.5 + (b.x - a.x);
      state0.y = 0.5 + (b.y - a.y);
    }
    renderer.getCamera().setState(state0);
  }
  function underPanel() {
    var box = $("lg-details");
    if (box.hidden) return false;
    var p = box.getBoundingClientRect(), g = $("lg-graph").getBoundingClientRect(), hit = false;
    graph.forEachNode(function (k, a) {
      var c = renderer.graphToViewport({ x: a.x, y: a.y });
      var e = renderer.graphToViewport({ x: a.x + a.size, y: a.y });
      var r = Math.hypot(e.x - c.x, e.y - c.y), x = g.left + c.x, y = g.top + c.y;
      if (x + r > p.left && x - r < p.right && y + r > p.top && y - r < p.bottom) hit = true;
    });
    return hit;
  }
  function refresh(refit) {
    layout();
    if (refit) fit();
    renderer.refresh();
    legend();
    $("lg-status").textContent = fmt("nodes_shown", { n: graph.order, m: graph.size });
    writeHash();
  }

  function overlapShare() {
    var ns = [];
    graph.forEachNode(function (k, a) { ns.push(a); });
    var pairs = 0, over = 0;
    for (var i = 0; i < ns.length; i++) for (var j = i + 1; j < ns.length; j++) {
      pairs++;
      var dx = ns[i].x - ns[j].x, dy = ns[i].y - ns[j].y;
      if (Math.sqrt(dx * dx + dy * dy) < ns[i].size + ns[j].size) over++;
    }
    return pairs ? over / pairs : 0;
  }

  // ---- actions ----------------------------------------------------------------
  function show(key, near) {
    return get("/api/node", { key: key }).then(function (n) {
      addNode(n, near);
      graph.setNodeAttribute(key, "forceLabel", true);
      details(key, n, true);
      refresh(true);
      return n;
    });
  }
  function expand(key) {
    var a = graph.hasNode(key) ? graph.getNodeAttributes(key).aggregate : null;
    var params = assign({ key: a ? a.center : key }, filterParams());
    if (a) {
      params.label = a.label; params.offset = a.offset; params.split = a.split ? "1" : "0";
      if (a.group !== null && a.group !== undefined) params.group = a.group;
    }
    status(W.loading);
    return get("/api/expand", params).then(function (r) {
      var center = a ? a.center : key, added = 0;
      var again = r.aggregates.some(function (g) { return g.key === key; });
      if (a && !again) removeNode(key);
      if (r.node && !graph.hasNode(center)) addNode(r.node, null);
      r.nodes.forEach(function (n) { if (addNode(n, center)) added++; });
      r.edges.forEach(addEdge);
      r.aggregates.forEach(function (g) { if (g.key !== key) added++; addAggregate(g); });
      return links().then(function () {
        refresh(true);
        status(added ? fmt("expanded", { n: added }) : W.nothing_more);
        return r;
      });
    }).catch(fail);
  }
  function realKeys() {
    return state.order.filter(function (k) { return k.indexOf("agg|") !== 0; });
  }
  function links() {
    var keys = realKeys();
    if (!keys.length) return Promise.resolve();
    return post("/api/subgraph", { keys: keys }, filterParams()).then(function (r) { return r.json(); })
      .then(function (r) { r.edges.forEach(addEdge); });
  }
  function applyFilters() {
    var keys = realKeys();
    return post("/api/subgraph", { keys: keys }, filterParams()).then(function (r) { return r.json(); })
      .then(function (r) {
        var keep = {};
        r.nodes.forEach(function (n) { keep[n.key] = true; });
        keys.forEach(function (k) { if (!keep[k]) removeNode(k); });
        graph.forEachEdge(function (e) { if (e.indexOf("e") === 0) graph.dropEdge(e); });
        r.edges.forEach(addEdge);
        state.order.filter(function (k) { return k.indexOf("agg|") === 0; }).forEach(removeNode);
        refresh(true);
      }).catch(fail);
  }

  function search(q) {
    return get("/api/search", { q: q }).then(function (r) {
      var list = $("lg-results");
      list.textContent = "";
      $("lg-results-count").textContent = r.total ? fmt(r.more ? "results_more" : "results",
        { n: r.total }) : fmt("no_results", { q: q });
      r.results.forEach(function (n) {
        var li = el("li");
        li.dataset.key = n.key;
        var kind = el("span", "lg-kind", n.label_name);
        kind.style.background = n.color;
        li.appendChild(kind);
        li.appendChild(el("span", "lg-name", n.full || n.text));
        li.appendChild(el("span", "lg-context", n.context.join(" · ")));
        var add = el("button", "lg-add", W.add), from = el("button", "lg-from", W.set_from),
            to = el("button", "lg-to", W.set_to);
        add.type = from.type = to.type = "button";
        add.onclick = function () { show(n.key).catch(fail); };
        from.onclick = function () { state.from = n; $("lg-path-from").textContent = label(n); };
        to.onclick = function () { state.to = n; $("lg-path-to").textContent = label(n); };
        li.appendChild(add); li.appendChild(from); li.appendChild(to);
        list.appendChild(li);
      });
      return r;
    }).catch(fail);
  }
  function label(n) { return (n.full || n.text) + (n.context.length ? " · " + n.context.join(" · ") : ""); }

  function findPath() {
    var out = $("lg-path-out");
    out.textContent = "";
    if (!state.from || !state.to) { out.appendChild(el("p", "lg-note", W.path_pick)); return Promise.resolve(); }
    var k = $("lg-path-k").value;
    return get("/api/path", { a: state.from.key, b: state.to.key, k: k, verdict: "later" }).then(function (r) {
      state.path = { a: state.from.key, b: state.to.key, k: k };
      if (!r.found) out.appendChild(el("p", "lg-note", fmt("path_none", { k: k })));
      else out.appendChild(el("p", "lg-note", fmt("path_found", { hops: r.hops, n: r.paths.length })));
      r.paths.forEach(function (p, i) {
        var box = el("div", "lg-path");
        box.dataset.level = p.level || "link";
        box.appendChild(el("span", "lg-" + (p.level || "link"), p.level_name));
        var ol = el("ol");
        p.steps.forEach(function (s) { ol.appendChild(el("li", null, s)); });
        box.appendChild(ol);
        out.appendChild(box);
        p.nodes.forEach(function (n, j) {
          addNode(n, j ? p.nodes[j - 1].key : null);
          graph.setNodeAttribute(n.key, "forceLabel", true);
        });
        p.edges.forEach(function (e) {
          addEdge(e);
          if (graph.hasEdge(e.id)) graph.mergeEdgeAttributes(e.id, {
            color: e.level === "hard" ? HARD : e.level === "soft" ? SOFT : "#555",
            size: e.level === "hard" ? 5 : e.level === "soft" ? 3.5 : 2,
            label: e.level ? (e.level === "hard" ? W.hard : W.soft) + " · " + e.text : e.text,
            level: e.level || "" });
        });
      });
      var rules = el("div", "lg-rules");
      rules.appendChild(el("h3", null, W.path_rules));
      out.appendChild(rules);
      var verdict = r.verdict ? get("/api/verdict", { a: state.path.a, b: state.path.b }) :
        Promise.resolve({ conflicts: [] });
      if (r.verdict) rules.appendChild(el("p", "lg-note lg-checking", W.path_checking));
      verdict.then(function (v) {
        rules.querySelectorAll(".lg-checking").forEach(function (n) { n.remove(); });
        if (!v.conflicts.length) rules.appendChild(el("p", "lg-note lg-no-verdict", W.path_no_rules));
        v.conflicts.forEach(function (c) {
          var p = el("p", "lg-conflict");
          p.dataset.level = c.level;
          p.appendChild(el("span", "lg-" + c.level, c.level_name + " · " + c.relation));
          p.appendChild(el("span", null, " " + c.round + "：" + c.explanation));
          rules.appendChild(p);
        });
      }).catch(fail);
      return links().then(function () { refresh(true); return r; });
    }).catch(fail);
  }

  function details(key, n, later) {
    var box = $("lg-details");
    box.hidden = false;
    box.textContent = "";
    var close = el("button", null, "×");
    close.type = "button";
    close.onclick = function () { box.hidden = true; fit(); renderer.refresh(); };
    box.appendChild(close);
    box.appendChild(el("h3", null, n.full || n.text));
    if (n.context.length) box.appendChild(el("p", "lg-note", n.context.join(" · ")));
    var ex = el("button", "lg-expand", W.expand);
    ex.type = "button";
    ex.onclick = function () { expand(key); };
    box.appendChild(ex);
    var from = el("button", null, W.set_from), to = el("button", null, W.set_to);
    from.type = to.type = "button";
    from.onclick = function () { state.from = n; $("lg-path-from").textContent = label(n); };
    to.onclick = function () { state.to = n; $("lg-path-to").textContent = label(n); };
    box.appendChild(from); box.appendChild(to);
    var table = el("table");
    (n.rows || []).forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("td", null, row[0]));
      tr.appendChild(el("td", null, row[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    if (n.label === "Person" || n.label === "Unit") {
      var conf = el("button", "lg-conflicts", W.conflicts);
      conf.type = "button";
      conf.onclick = function () { nodeConflicts(key, box); };
      box.appendChild(conf);
    }
    if (n.label === "Person") {
      var por = el("button", "lg-portrait", W.portrait);
      por.type = "button";
      por.onclick = function () { portrait(key, box); };
      box.appendChild(por);
    }
    if (n.timeline && n.timeline.length) {
      box.appendChild(el("h4", null, W.timeline));
      var ol = el("ol", "lg-timeline");
      n.timeline.forEach(function (t) {
        ol.appendChild(el("li", null, t.start + (t.end ? " – " + t.end : "") + " " + t.kind + " " + t.what));
      });
      box.appendChild(ol);
    }
    // the panel covers the right of the picture: when a node lies under it, refit (a
    // zoom the reader chose stays while nothing is hidden)
    if (!later && underPanel()) { fit(); renderer.refresh(); }
  }

  function nodeConflicts(key, box) {
    return get("/api/conflicts", { key: key }).then(function (r) {
      var sec = el("div", "lg-node-conflicts");
      sec.appendChild(el("h4", null, r.total ? fmt("node_conflicts", { n: r.total }) : W.no_conflicts));
      r.conflicts.forEach(function (c) {
        var p = el("p", "lg-conflict");
        p.dataset.level = c.level;
        p.appendChild(el("span", "lg-" + c.level, c.level_name + " · " + c.relation));
        p.appendChild(el("span", null, " " + c.round + "：" + c.explanation));
        sec.appendChild(p);
      });
      box.appendChild(sec);
      return r;
    }).catch(fail);
  }
  function portrait(key, box) {
    return get("/api/portrait", { key: key }).then(function (r) {
      var sec = el("div", "lg-node-portrait"), table = el("table");
      sec.appendChild(el("h4", null, W.portrait));
      r.figures.forEach(function (f) {
        var tr = el("tr");
        tr.appendChild(el("td", null, f[0])); tr.appendChild(el("td", null, f[1]));
        table.appendChild(tr);
      });
      sec.appendChild(table);
      var add = el("button", null, W.portrait_add);
      add.type = "button";
      add.onclick = function () {
        post("/api/subgraph", { keys: r.keys }, filterParams()).then(function (x) { return x.json(); })
          .then(function (g) {
            g.nodes.forEach(function (nd) { addNode(nd, key); });
            g.edges.forEach(addEdge);
            refresh(true);
          }).catch(fail);
      };
      sec.appendChild(add);
      box.appendChild(sec);
      return r;
    }).catch(fail);
  }

  function legend() {
    var box = $("lg-legend"), seen = {};
    box.textContent = "";
    graph.forEachNode(function (k, a) { if (!a.aggregate) seen[a.kind] = a; });
    META.labels.forEach(function (l) {
      if (!seen[l.label]) return;
      var s = el("span"), dot = el("span", "lg-dot");
      dot.style.background = l.color;
      s.appendChild(dot); s.appendChild(document.createTextNode(l.name));
      box.appendChild(s);
    });
    [[HARD, W.hard], [SOFT, W.soft]].forEach(function (p) {
      var s = el("span"), dot = el("span", "lg-dot");
      dot.style.background = p[0];
      s.appendChild(dot); s.appendChild(document.createTextNode(p[1]));
      box.appendChild(s);
    });
    if (graph.order > 60) box.appendChild(el("span", "lg-note", W.labels_zoom));
  }

  // ---- export ---------------------------------------------------------------------
  function bounds() {
    var b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    graph.forEachNode(function (k, a) {
      b.x0 = Math.min(b.x0, a.x - a.size); b.x1 = Math.max(b.x1, a.x + a.size);
      b.y0 = Math.min(b.y0, a.y - a.size); b.y1 = Math.max(b.y1, a.y + a.size);
    });
    if (!isFinite(b.x0)) b = { x0: 0, y0: 0, x1: 1, y1: 1 };
    return b;
  }
  function picture(draw) {
    var b = bounds(), margin = 40, width = 1600;
    var scale = (width - 2 * margin) / Math.max(b.x1 - b.x0, 1);
    var height = Math.max(200, Math.round((b.y1 - b.y0) * scale + 2 * margin));
    // sigma's y axis points up; pictures keep what the screen shows
    function px(a) { return { x: margin + (a.x - b.x0) * scale, y: margin + (b.y1 - a.y) * scale,
                              r: Math.max(a.size * scale, 2) }; }
    return draw(width, height, px, scale);
  }
  function download(blob, name) {
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function exportPng() {
    return picture(function (w, h, px) {
      var c = el("canvas");
      c.width = w; c.height = h;
      var g = c.getContext("2d");
      g.fillStyle = "#fff"; g.fillRect(0, 0, w, h);
      graph.forEachEdge(function (e, a, s, t) {
        var p = px(graph.getNodeAttributes(s)), q = px(graph.getNodeAttributes(t));
        g.strokeStyle = a.color; g.lineWidth = a.size;
        g.beginPath(); g.moveTo(p.x, p.y); g.lineTo(q.x, q.y); g.stroke();
      });
      g.font = LABEL_PX + "px sans-serif"; g.textAlign = "center";
      graph.forEachNode(function (k, a) {
        var p = px(a);
        g.fillStyle = a.color; g.beginPath(); g.arc(p.x, p.y, p.r, 0, 2 * Math.PI); g.fill();
        g.fillStyle = "#222"; g.fillText(a.label || "", p.x, p.y + p.r + LABEL_PX);
      });
      return new Promise(function (done) {
        c.toBlob(function (blob) { download(blob, "linkgraph-explore.png"); done(blob.size); }, "image/png");
      });
    });
  }
  function exportSvg() {
    return picture(function (w, h, px) {
      var NS = "http://www.w3.org/2000/svg", svg = document.createElementNS(NS, "svg");
      svg.setAttribute("xmlns", NS);
      svg.setAttribute("width", w); svg.setAttribute("height", h);
      svg.setAttribute("viewBox", "0 0 " + w + " " + h);
      var bg = document.createElementNS(NS, "rect");
      bg.setAttribute("width", w); bg.setAttribute("height", h); bg.setAttribute("fill", "#fff");
      svg.appendChild(bg);
      graph.forEachEdge(function (e, a, s, t) {
        var p = px(graph.getNodeAttributes(s)), q = px(graph.getNodeAttributes(t));
        var line = document.createElementNS(NS, "line");
        line.setAttribute("x1", p.x.toFixed(1)); line.setAttribute("y1", p.y.toFixed(1));
        line.setAttribute("x2", q.x.toFixed(1)); line.setAttribute("y2", q.y.toFixed(1));
        line.setAttribute("stroke", a.color); line.setAttribute("stroke-width", a.size);
        if (a.level === "soft") line.setAttribute("stroke-dasharray", "6 4");
        svg.appendChild(line);
      });
      graph.forEachNode(function (k, a) {
        var p = px(a), c = document.createElementNS(NS, "circle"), t = document.createElementNS(NS, "text");
        c.setAttribute("cx", p.x.toFixed(1)); c.setAttribute("cy", p.y.toFixed(1));
        c.setAttribute("r", p.r.toFixed(1)); c.setAttribute("fill", a.color);
        t.setAttribute("x", p.x.toFixed(1)); t.setAttribute("y", (p.y + p.r + LABEL_PX).toFixed(1));
        t.setAttribute("text-anchor", "middle"); t.setAttribute("font-size", LABEL_PX);
        t.textContent = a.label || "";
        svg.appendChild(c); svg.appendChild(t);
      });
      var text = new XMLSerializer().serializeToString(svg);
      download(new Blob([text], { type: "image/svg+xml" }), "linkgraph-explore.svg");
      return Promise.resolve(text.length);
    });
  }
  function exportServer(path, name) {
    var positions = {};
    graph.forEachNode(function (k, a) { positions[k] = [a.x, -a.y]; });
    return post(path, { keys: realKeys(), positions: positions }).then(function (r) { return r.blob(); })
      .then(function (blob) { download(blob, name); return blob.size; }).catch(fail);
  }

  // ---- permalink ---------------------------------------------------------------
  function writeHash() {
    var parts = state.order.filter(function (k) { return k.indexOf("agg|") !== 0; }).map(function (k) {
      var a = graph.getNodeAttributes(k);
      return encodeURIComponent(k) + "~" + Math.round(a.x) + "~" + Math.round(a.y);
    });
    var f = filterParams(), h = new URLSearchParams();
    h.set("n", parts.join(","));
    Object.keys(f).forEach(function (k) { h.set("f." + k, f[k]); });
    if (state.path) h.set("p", [state.path.a, state.path.b, state.path.k].join("|"));
    history.replaceState(null, "", "#" + h.toString());
  }
  function readHash() {
    var h = new URLSearchParams(location.hash.slice(1)), n = h.get("n"), k = h.get("k");
    // #k=Label:id (the report's links): that node, with its details panel
    if (!n && k) return show(k).then(function () { return true; }, function () {
      status(W.no_such_node); return "missing"; });
    if (!n) return Promise.resolve(false);
    var place = {};
    var keys = n.split(",").filter(Boolean).map(function (p) {
      var bits = p.split("~"), key = decodeURIComponent(bits[0]);
      place[key] = [Number(bits[1]), Number(bits[2])];
      return key;
    });
    h.forEach(function (v, k) {
      if (k === "f.from") $("lg-date-from").value = v;
      if (k === "f.to") $("lg-date-to").value = v;
      if (k === "f.labels") document.querySelectorAll("#lg-filter-labels input").forEach(function (b) {
        b.checked = v.split(",").indexOf(b.value) >= 0; });
      if (k === "f.rounds" || k === "f.terms") {
        var sel = $(k === "f.rounds" ? "lg-filter-rounds" : "lg-filter-terms"), vals = v.split(",");
        Array.from(sel.options).forEach(function (o) { o.selected = vals.indexOf(o.value) >= 0; });
      }
    });
    return post("/api/subgraph", { keys: keys }, filterParams()).then(function (r) { return r.json(); })
      .then(function (r) {
        var byKey = {};
        r.nodes.forEach(function (nd) { byKey[nd.key] = nd; });
        keys.forEach(function (k) {
          if (!byKey[k]) return;
          addNode(byKey[k], null);
          graph.mergeNodeAttributes(k, { x: place[k][0], y: place[k][1], fresh: false });
        });
        r.edges.forEach(addEdge);
        refresh(true);
        return true;
      });
  }

  // ---- start -----------------------------------------------------------------------
  function words() {
    var set = function (id, w) { $(id).textContent = W[w]; };
    $("lg-search").placeholder = W.search;
    set("lg-search-btn", "search_btn"); set("lg-path-title", "path");
    set("lg-path-from-word", "path_from"); set("lg-path-to-word", "path_to");
    set("lg-path-k-word", "path_hops"); set("lg-path-btn", "path_find");
    set("lg-filter-title", "filters"); set("lg-rounds-word", "rounds"); set("lg-terms-word", "terms");
    set("lg-date-from-word", "date_from"); set("lg-date-to-word", "date_to");
    set("lg-apply", "apply"); set("lg-clear", "clear"); set("lg-export-title", "export");
    set("lg-export-png", "png"); set("lg-export-svg", "svg"); set("lg-export-xlsx", "xlsx");
    set("lg-export-html", "html"); set("lg-permalink", "permalink");
  }
  function controls() {
    var labels = $("lg-filter-labels");
    META.labels.forEach(function (l) {
      var lab = el("label"), box = el("input");
      box.type = "checkbox"; box.value = l.label; box.checked = true;
      lab.appendChild(box); lab.appendChild(document.createTextNode(l.name));
      labels.appendChild(lab);
    });
    META.rounds.forEach(function (r) {
      var o = el("option", null, r.name); o.value = r.id; $("lg-filter-rounds").appendChild(o);
    });
    META.terms.forEach(function (t) {
      var o = el("option", null, t); o.value = t; $("lg-filter-terms").appendChild(o);
    });
    if (META.dates.length === 2) {
      var d0 = Date.parse(META.dates[0]) / 864e5, d1 = Date.parse(META.dates[1]) / 864e5;
      [["lg-slider-from", "lg-date-from", d0], ["lg-slider-to", "lg-date-to", d1]].forEach(function (s) {
        var slider = $(s[0]);
        slider.min = d0; slider.max = d1; slider.value = s[2];
        slider.oninput = function () {
          $(s[1]).value = new Date(Number(slider.value) * 864e5).toISOString().slice(0, 10);
        };
        $(s[1]).min = META.dates[0]; $(s[1]).max = META.dates[1];
      });
    }
    $("lg-search-form").onsubmit = function (ev) { ev.preventDefault(); search($("lg-search").value); };
    $("lg-path-btn").onclick = findPath;
    $("lg-apply").onclick = applyFilters;
    $("lg-clear").onclick = function () { graph.clear(); state.order = []; refresh(true); };
    $("lg-export-png").onclick = exportPng;
    $("lg-export-svg").onclick = exportSvg;
    $("lg-export-xlsx").onclick = function () { exportServer("/api/export.xlsx", "linkgraph-explore.xlsx"); };
    $("lg-export-html").onclick = function () { exportServer("/api/export.html", "linkgraph-explore.html"); };
    $("lg-permalink").onclick = function () { writeHash(); status(W.copied); };
  }
  function start() {
    graph = new graphology.MultiGraph();
    renderer = new Sigma(graph, $("lg-graph"), {
      itemSizesReference: "positions", zoomToSizeRatioFunction: function (r) { return r; },
      autoRescale: true, labelSize: LABEL_PX, labelRenderedSizeThreshold: 5,
      labelFont: "\"Noto Sans CJK SC\", \"Microsoft YaHei\", sans-serif",
      renderEdgeLabels: true, edgeLabelSize: 12, defaultEdgeColor: EDGE, stagePadding: 70,
      labelDensity: 1.5, labelGridCellSize: 60,
      allowInvalidContainer: true
    });
    renderer.on("clickNode", function (ev) {
      var a = graph.getNodeAttributes(ev.node);
      if (a.aggregate) { expand(ev.node); return; }
      get("/api/node", { key: ev.node }).then(function (n) { details(ev.node, n); }).catch(fail);
    });
    renderer.on("doubleClickNode", function (ev) {
      ev.preventSigmaDefault();
      expand(ev.node);
    });
    return fetch("/api/meta?" + new URLSearchParams({ lang: document.documentElement.lang === "en" ? "en" : "zh" }),
                 { credentials: "same-origin" }).then(check).then(function (m) {
      META = m; W = m.words;
      words(); controls();
      return readHash();
    }).then(function (shown) {
      if (!graph.order && shown !== "missing") status(fmt("start_hint", { n: META.nodes.toLocaleString(), m: META.edges.toLocaleString() }));
      api.ready = true;
    }).catch(function (e) { fail(e); api.ready = true; api.error = String(e); });
  }

  assign(api, {
    search: search, show: show, expand: expand, findPath: findPath, applyFilters: applyFilters,
    overlapShare: overlapShare, exportPng: exportPng, exportSvg: exportSvg, state: state,
    viewportOf: function (key) {
      var a = graph.getNodeAttributes(key);
      return renderer.graphToViewport({ x: a.x, y: a.y });
    }
  });
  Object.defineProperty(api, "graph", { get: function () { return graph; } });
  Object.defineProperty(api, "renderer", { get: function () { return renderer; } });
  start();
})();
