/* Lineage graphs: every .lineage-graph[data-src] is drawn with cytoscape.js (vendored next to
   this file, never loaded from a CDN) from the JSON its data-src returns.
   Layers: a node's depth is its distance up (+) or down (-) from the focus document, so what a
   document implements sits above it and its implementers below. Pan: drag; zoom: wheel;
   click a node: open its page. All text goes through textContent or canvas labels, never HTML. */
(function () {
  "use strict";
  var COLORS = {
    implements: "#c0392b", based_on: "#2471a3", amends: "#7d3c98", replaces: "#7d3c98",
    repeals: "#616a6b", guides: "#138d75", mentions: "#aab7b8"
  };
  var graphs = window.directivesGraphs = window.directivesGraphs || [];

  /* Layers: longest path, so a document always sits above every document that cites it
     (on its side of the focus). Relaxation is bounded by the node count, so a cycle in the
     data cannot loop forever. */
  function layers(nodes, edges) {
    var level = {}, side = {};
    nodes.forEach(function (n) { level[n.id] = n.depth || 0; side[n.id] = n.focus ? 0 : (n.depth > 0 ? 1 : -1); });
    for (var pass = 0; pass < nodes.length; pass++) {
      var changed = false;
      edges.forEach(function (e) {
        var s = e.source, t = e.target;
        if (!(s in level) || !(t in level)) return;
        if (side[t] > 0 && level[t] < level[s] + 1 && level[s] + 1 <= nodes.length) {
          level[t] = level[s] + 1; changed = true;
        }
        if (side[s] < 0 && level[s] > level[t] - 1 && level[t] - 1 >= -nodes.length) {
          level[s] = level[t] - 1; changed = true;
        }
      });
      if (!changed) break;
    }
    return level;
  }

  /* Layers from the top down. Within a layer, documents are ordered by the mean position of
     the documents they link to in the layers already placed (the barycentre rule of layered
     drawings), so links cross less and rarely run under an unrelated document; ties (and the
     first layer) by issuer, then label. A wide layer (a directive with 80 implementers) is
     folded into rows of PER_ROW, so the drawing stays about as wide as the page. */
  var PER_ROW = 6, COL = 190, ROW = 95, GAP = 60;
  function positions(nodes, edges) {
    var level = layers(nodes, edges), rows = {}, pos = {}, y = 0, nbr = {};
    nodes.forEach(function (n) { (rows[level[n.id]] = rows[level[n.id]] || []).push(n); nbr[n.id] = []; });
    edges.forEach(function (e) {
      if (nbr[e.source] && nbr[e.target]) { nbr[e.source].push(e.target); nbr[e.target].push(e.source); }
    });
    function centre(n) {
      var xs = nbr[n.id].filter(function (m) { return m in pos; }).map(function (m) { return pos[m].x; });
      return xs.length ? xs.reduce(function (a, b) { return a + b; }, 0) / xs.length : null;
    }
    Object.keys(rows).map(Number).sort(function (a, b) { return b - a; }).forEach(function (depth) {
      var row = rows[depth].map(function (n) { return { n: n, c: centre(n) }; }).sort(function (a, b) {
        if (a.c !== null && b.c !== null && a.c !== b.c) return a.c - b.c;
        return String(a.n.issuer || "").localeCompare(String(b.n.issuer || "")) ||
               String(a.n.label).localeCompare(String(b.n.label));
      }).map(function (x) { return x.n; });
      for (var start = 0; start < row.length; start += PER_ROW) {
        var chunk = row.slice(start, start + PER_ROW);
        chunk.forEach(function (n, i) {
          pos[n.id] = { x: (i - (chunk.length - 1) / 2) * COL, y: y };
        });
        y += ROW;
      }
      y += GAP;
    });
    return pos;
  }

  function describe(n, msg) {
    var parts = [n.label];
    if (n.issuer) parts.push(n.issuer);
    if (n.date) parts.push(n.date);
    var s = parts.join(" · ");
    if (n.title) s += ": " + n.title;
    return s + " (" + (n.stored ? msg.stored : msg.cited) + ")";
  }

  /* The page's words (its language), from data-msg-* attributes on the graph's element. */
  function messages(el) {
    var d = el.dataset || {};
    return { loading: d.msgLoading || "Loading the graph…", nolib: d.msgNolib || "The graph library did not load.",
             failed: d.msgFailed || "The graph could not be drawn:", stored: d.msgStored || "in the database",
             cited: d.msgCited || "cited only", summary: d.msgSummary || "documents, links" };
  }

  function style() {
    return [
      { selector: "node", style: {
        "label": "data(caption)", "font-size": 12, "text-valign": "bottom", "text-margin-y": 4,
        "text-wrap": "wrap", "text-max-width": 170, "width": 22, "height": 22,
        "text-background-color": "#fff", "text-background-opacity": 0.85,
        "background-color": "#95a5a6", "border-width": 1, "border-color": "#555" } },
      { selector: "node[kind = 'stored']", style: { "background-color": "#2e86c1", "shape": "round-rectangle" } },
      { selector: "node[kind = 'focus']", style: {
        "background-color": "#f39c12", "shape": "star", "width": 34, "height": 34,
        "font-weight": "bold", "font-size": 13 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#000" } },
      { selector: "edge", style: {
        "width": 2, "curve-style": "bezier", "target-arrow-shape": "triangle",
        "line-color": "data(color)", "target-arrow-color": "data(color)",
        "label": "data(label)", "font-size": 9, "color": "#444",
        "text-background-color": "#fff", "text-background-opacity": 0.8,
        "text-rotation": "autorotate" } },
      { selector: "edge[relation = 'mentions']", style: { "line-style": "dashed", "width": 1 } }
    ];
  }

  function draw(el) {
    var wrap = el.closest(".lineage-wrap") || el.parentNode;
    var status = wrap.querySelector(".lineage-status");
    var say = function (text) { if (status) status.textContent = text; };
    var msg = messages(el);
    say(msg.loading);
    if (typeof window.cytoscape !== "function") {
      say(msg.nolib);
      el.setAttribute("data-rendered", "error");
      return;
    }
    fetch(el.getAttribute("data-src"), { headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (g) {
        var pos = positions(g.nodes, g.edges);
        var elements = g.nodes.map(function (n) {
          return { group: "nodes", position: pos[n.id], data: {
            id: n.id, label: n.label, caption: n.caption || n.label, url: n.url,
            describe: describe(n, msg),
            kind: n.focus ? "focus" : (n.stored ? "stored" : "cited") } };
        }).concat(g.edges.map(function (e) {
          return { group: "edges", data: {
            id: e.id, source: e.source, target: e.target, relation: e.relation,
            label: e.relation_label || String(e.relation).replace("_", " "),
            color: COLORS[e.relation] || "#888" } };
        }));
        var cy = window.cytoscape({
          container: el, elements: elements, style: style(),
          layout: { name: "preset", fit: true, padding: 40 },
          minZoom: 0.1, maxZoom: 4
        });
        cy.on("tap", "node", function (evt) {
          var url = evt.target.data("url");
          if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") {
            window.location.assign(url);
          }
        });
        cy.on("mouseover", "node", function (evt) { say(evt.target.data("describe")); el.style.cursor = "pointer"; });
        cy.on("mouseout", "node", function () { el.style.cursor = ""; });
        el.cy = cy;
        graphs.push(cy);
        var fit = wrap.querySelector(".lineage-fit");
        if (fit) fit.addEventListener("click", function () { cy.fit(undefined, 40); });
        var words = msg.summary.split(",");
        say(g.nodes.length + " " + words[0].trim() + ", " + g.edges.length + " " +
            (words[1] || "").trim() + (g.truncated ? " (…)" : ""));
        el.setAttribute("data-nodes", String(g.nodes.length));
        el.setAttribute("data-rendered", "true");
      })
      .catch(function (err) {
        say(msg.failed + " " + err.message);
        el.setAttribute("data-rendered", "error");
      });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".lineage-graph[data-src]"), draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
