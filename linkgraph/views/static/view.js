/* linkgraph view: legend, label filter, search, tooltips and
 * expand-on-double-click for a vis-network graph.  Loads nothing; every
 * text from the data goes into the page through textContent only. */
(function () {
  "use strict";
  var LG = JSON.parse(document.getElementById("lg-data").textContent);
  var container = document.getElementById("lg-network");
  var tip = document.getElementById("lg-tooltip");
  var statusLine = document.getElementById("lg-status");
  var filterSelect = document.getElementById("lg-filter");
  var legendButtons = Array.prototype.slice.call(document.querySelectorAll(".lg-legend-item"));
  var nodes = new vis.DataSet(LG.nodes);
  var edges = new vis.DataSet(LG.edges);
  var hiddenLabels = Object.create(null);   // label -> true while hidden
  var owners = Object.create(null);  // "n:<id>" / "e:<id>" -> {owner: true}; "*" = initial view
  var expanded = Object.create(null);  // node id -> what its double-click added
  var api = window.linkgraphView = { ready: false, readyAt: null, nodes: nodes, edges: edges };

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }
  function say(text) { statusLine.textContent = text; }
  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }
  function labelOf(id) { return has(LG.meta, id) ? LG.meta[id][0] : ""; }
  function isHiddenNode(id) { return !!hiddenLabels[labelOf(id)]; }
  function own(key, owner) { (owners[key] = owners[key] || Object.create(null))[owner] = true; }
  function release(key, owner) {
    var o = owners[key];
    if (!o) { return false; }
    delete o[owner];
    if (Object.keys(o).length) { return false; }
    delete owners[key];
    return true;
  }
  nodes.getIds().forEach(function (id) { own("n:" + id, "*"); });
  edges.getIds().forEach(function (id) { own("e:" + id, "*"); });

  /* ---- tooltips (textContent only) ---- */
  function showTip(rows, pointer) {
    if (!rows) { return; }
    tip.textContent = "";
    rows.forEach(function (row) {
      var line = document.createElement("div");
      var key = document.createElement("b");
      key.textContent = row[0];
      line.appendChild(key);
      line.appendChild(document.createTextNode(LG.sep + row[1]));
      tip.appendChild(line);
    });
    tip.hidden = false;
    var x = pointer.x + 14, y = pointer.y + 14;
    var maxX = container.clientWidth - tip.offsetWidth - 4;
    var maxY = container.clientHeight - tip.offsetHeight - 4;
    tip.style.left = Math.max(0, Math.min(x, maxX)) + "px";
    tip.style.top = Math.max(0, Math.min(y, maxY)) + "px";
  }
  function hideTip() { tip.hidden = true; }

  /* ---- legend and label filter ---- */
  function applyVisibility() {
    nodes.update(nodes.getIds().map(function (id) {
      return { id: id, hidden: isHiddenNode(id) };
    }));
    edges.update(edges.get().map(function (e) {
      return { id: e.id, hidden: isHiddenNode(e.from) || isHiddenNode(e.to) };
    }));
    legendButtons.forEach(function (b) {
      b.setAttribute("aria-pressed", hiddenLabels[b.getAttribute("data-label")] ? "false" : "true");
    });
    var shown = legendButtons.filter(function (b) { return !hiddenLabels[b.getAttribute("data-label")]; });
    filterSelect.value = shown.length === 1 && legendButtons.length > 1 ?
      shown[0].getAttribute("data-label") : "";
  }
  function toggleLabel(label) {
    if (hiddenLabels[label]) { delete hiddenLabels[label]; } else { hiddenLabels[label] = true; }
    applyVisibility();
  }
  function setFilter(label) {
    hiddenLabels = Object.create(null);
    if (label) {
      legendButtons.forEach(function (b) {
        var l = b.getAttribute("data-label");
        if (l !== label) { hiddenLabels[l] = true; }
      });
    }
    applyVisibility();
  }
  legendButtons.forEach(function (b) {
    b.addEventListener("click", function () { toggleLabel(b.getAttribute("data-label")); });
  });
  filterSelect.addEventListener("change", function () { setFilter(filterSelect.value); });

  /* ---- search by name or id ---- */
  function search(query) {
    var q = String(query || "").trim().toLowerCase();
    if (!q) { network.unselectAll(); say(""); return []; }
    var found = nodes.getIds().filter(function (id) {
      var hay = (has(LG.meta, id) ? LG.meta[id][1] : "") + " " + id;
      return !isHiddenNode(id) && hay.toLowerCase().indexOf(q) >= 0;
    });
    network.selectNodes(found);
    if (found.length) {
      network.focus(found[0], { scale: Math.max(network.getScale(), 1.0), animation: false });
      say(fmt(LG.ui.found, { n: found.length }));
    } else {
      say(fmt(LG.ui.not_found, { q: String(query).trim() }));
    }
    return found;
  }
  document.getElementById("lg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search(document.getElementById("lg-search").value);
  });

  /* ---- expand / collapse on double-click, from the embedded data ---- */
  function ring(center, count) {
    var radius = Math.max(110, count * 55 / (2 * Math.PI)), out = [];
    for (var i = 0; i < count; i++) {
      var a = 2 * Math.PI * i / Math.max(count, 1) + 0.3;
      out.push({ x: Math.round(center.x + radius * Math.cos(a)), y: Math.round(center.y + radius * Math.sin(a)) });
    }
    return out;
  }
  function expand(id) {
    var x = has(LG.expand, id) ? LG.expand[id] : null;
    if (!x || !x.n.length || expanded[id]) { say(LG.ui.no_more); return false; }
    var fresh = x.n.filter(function (nid) { return !nodes.get(nid); });
    var spots = ring(network.getPosition(id), fresh.length);
    nodes.add(fresh.map(function (nid, i) {
      return Object.assign({}, LG.extraNodes[nid], spots[i], { hidden: isHiddenNode(nid) });
    }));
    x.n.forEach(function (nid) { own("n:" + nid, id); });
    var added = [];
    x.e.forEach(function (eid) {
      var rec = has(LG.extraEdges, eid) ? LG.extraEdges[eid] : null;
      if (!rec || !nodes.get(rec.from) || !nodes.get(rec.to)) { return; }
      if (!edges.get(eid)) {
        edges.add(Object.assign({}, rec, { hidden: isHiddenNode(rec.from) || isHiddenNode(rec.to) }));
      }
      own("e:" + eid, id);
      added.push(eid);
    });
    var border = nodes.get(id).borderWidth || 1;
    expanded[id] = { n: x.n.slice(), e: added, border: border };
    nodes.update({ id: id, borderWidth: border + 2 });
    say(x.o ? fmt(LG.ui.expanded_omitted, { n: fresh.length, m: x.o }) : fmt(LG.ui.expanded, { n: fresh.length }));
    return true;
  }
  function collapse(id) {
    var x = expanded[id];
    if (!x) { return false; }
    delete expanded[id];
    x.e.forEach(function (eid) { if (release("e:" + eid, id)) { edges.remove(eid); } });
    var gone = x.n.filter(function (nid) { return release("n:" + nid, id); });
    gone.forEach(function (nid) { if (expanded[nid]) { collapse(nid); } });
    var goneSet = Object.create(null);
    gone.forEach(function (nid) { goneSet[nid] = true; });
    var dead = edges.get({ filter: function (e) { return goneSet[e.from] || goneSet[e.to]; } })
      .map(function (e) { delete owners["e:" + e.id]; return e.id; });
    edges.remove(dead);
    nodes.remove(gone);
    if (nodes.get(id)) { nodes.update({ id: id, borderWidth: x.border }); }
    say(LG.ui.collapsed);
    return true;
  }
  function toggle(id) { return expanded[id] ? collapse(id) : expand(id); }

  /* ---- the network: settle (bounded), then physics off ---- */
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, LG.options);
  function markReady() {
    if (api.ready) { return; }
    api.ready = true;
    api.readyAt = performance.now();
    document.documentElement.setAttribute("data-lg-state", "ready");
  }
  network.on("hoverNode", function (p) { if (has(LG.meta, p.node)) { showTip(LG.meta[p.node][2], p.pointer.DOM); } });
  network.on("blurNode", hideTip);
  network.on("hoverEdge", function (p) { if (has(LG.etip, p.edge)) { showTip(LG.etip[p.edge], p.pointer.DOM); } });
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  network.on("doubleClick", function (p) { if (p.nodes.length) { hideTip(); toggle(p.nodes[0]); } });
  if (LG.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit({ animation: false });
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
    network.fit({ animation: false });
    network.redraw();
  }

  Object.assign(api, {
    network: network, expand: expand, collapse: collapse, toggle: toggle, search: search,
    toggleLabel: toggleLabel, setFilter: setFilter,
    expandedIds: function () { return Object.keys(expanded); },
    /* page (CSS pixel) coordinates of a node's centre, for tests and tools */
    pagePosition: function (id) {
      var dom = network.canvasToDOM(network.getPosition(id));
      var box = container.getBoundingClientRect();
      return { x: box.left + dom.x, y: box.top + dom.y };
    }
  });
})();
