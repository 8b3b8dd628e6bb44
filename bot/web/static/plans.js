// A position's plan on the dashboard: its exits under the position's row, its levels as lines
// on the price chart, and its events (a target filled, the stop moved) as they happen.
// dashboard.js calls these; every value goes in through textContent, never as HTML.
(() => {
  "use strict";

  const COLORS = { target: "#0a8f5a", stop: "#c62f3b", done: "#8a949e" };
  const MAX_EVENTS = 20;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function ltr(text) { return el("span", text, "ltr"); }
  function num(value) {  // as in messages: thousands separators, a true minus sign
    if (value === null || value === undefined || value === "") return "";
    const n = Number(value);
    if (!Number.isFinite(n)) return String(value);
    return Number(n.toFixed(8)).toLocaleString("en-US", { maximumFractionDigits: 8 })
      .replace("-", "\u2212");
  }
  // A catalog string with {name} places, each filled with a node (numbers stay LTR).
  function phrase(template, values) {
    const span = el("span");
    for (const part of template.split(/(\{\w+\})/)) {
      const name = part.startsWith("{") ? part.slice(1, -1) : null;
      if (name && name in values) {
        const value = values[name];
        span.append(value instanceof Node ? value : ltr(value));
      } else if (part) span.append(document.createTextNode(part));
    }
    return span;
  }

  // --- the plan under a position's row ---

  function chip(t, key, values, className) {
    const node = el("span", null, className ? `chip ${className}` : "chip");
    node.append(phrase(t(key), values));
    return node;
  }

  function planBlock(plan, t, row) {
    const box = el("div", null, "plan-exits");
    box.dataset.signalId = plan.signal_id;
    box.dataset.beMoved = plan.be_moved ? "true" : "false";
    box.append(el("span", `${t("plan")} #${plan.signal_id}`, "plan-name"));
    if (plan.stop !== null || plan.be_moved) {
      const stop = plan.be_moved ?
        chip(t, "plan_stop_moved", { price: num(row.stop || plan.entry) }, "stop done") :
        chip(t, "plan_stop", { price: num(plan.stop) }, "stop");
      stop.dataset.kind = "stop";
      box.append(stop);
    }
    if (plan.take_profit !== null) {
      box.append(chip(t, "plan_take_profit", { price: num(plan.take_profit) }, "target"));
    }
    for (const target of plan.targets) {
      const node = chip(t, "plan_target", {
        n: target.n, of: plan.targets.length, price: num(target.price), qty: num(target.qty),
      }, target.filled ? "target done" : "target");
      node.dataset.target = target.n;
      node.dataset.filled = target.filled ? "true" : "false";
      if (target.filled) node.append(el("span", ` ✓ ${t("plan_filled")}`));
      box.append(node);
    }
    if (plan.trailing !== null) {
      box.append(plan.activation !== null ?
        chip(t, "plan_trailing_from", { distance: num(plan.trailing), price: num(plan.activation) }) :
        chip(t, "plan_trailing", { distance: num(plan.trailing) }));
    }
    if (plan.be_after !== null) {
      box.append(chip(t, plan.be_moved ? "plan_be_moved" : "plan_be_after", { n: plan.be_after },
        plan.be_moved ? "done" : ""));
    }
    return box;
  }

  function planRows(row, columns, t) {  // one table row per plan, under the position's
    return (row.plans || []).map((plan) => {
      const tr = el("tr", null, "plan-row");
      const td = el("td", null, "plan");
      td.colSpan = columns;
      td.append(planBlock(plan, t, row));
      tr.dataset.symbol = row.symbol;
      tr.append(td);
      return tr;
    });
  }

  // --- the plan's lines on the price chart ---

  function levelName(level, t) {
    if (level.kind === "stop") return level.moved ? t("chart_break_even") : t("chart_stop");
    if (level.kind === "take_profit") return t("chart_take_profit");
    return `${t("chart_target")} ${level.n}${level.filled ? " ✓" : ""}`;
  }

  function levelLayout(levels, t) {
    const shapes = [];
    const annotations = [];
    for (const level of levels || []) {
      const done = Boolean(level.filled);
      const color = done ? COLORS.done : level.kind === "stop" ? COLORS.stop : COLORS.target;
      shapes.push({
        type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: level.price, y1: level.price,
        line: { color, width: 1.5, dash: done ? "dot" : "dash" }, opacity: done ? 0.6 : 0.9,
      });
      annotations.push({
        xref: "paper", x: 1, xanchor: "right", yref: "y", y: level.price, yanchor: "bottom",
        text: `${levelName(level, t)} ${num(level.price)}`, showarrow: false,
        font: { size: 10, color },
      });
    }
    return { shapes, annotations };
  }

  // --- a position event, as it happens ---

  function applyEvent(frame, positions, charts) {
    // Mark the filled target (and the moved stop) at once; the refresh that follows confirms.
    if (frame.event !== "target_filled") return;
    for (const row of (positions && positions.rows) || []) {
      for (const plan of row.plans || []) {
        if (plan.signal_id !== frame.signal_id) continue;
        for (const target of plan.targets) if (target.n === frame.target) target.filled = true;
        if (frame.stop) { plan.be_moved = true; row.stop = frame.stop; }
      }
    }
    const series = charts && charts.prices && charts.prices[frame.symbol];
    for (const level of (series && series.levels) || []) {
      if (level.signal_id !== frame.signal_id) continue;
      if (level.kind === "target" && level.n === frame.target) level.filled = true;
      if (level.kind === "stop" && frame.stop) { level.price = Number(frame.stop); level.moved = true; }
    }
  }

  function eventItem(frame, t, when) {
    const li = el("li");
    li.dataset.signalId = frame.signal_id;
    li.dataset.target = frame.target;
    li.append(ltr(when(frame.at)), document.createTextNode(" "), ltr(frame.symbol), document.createTextNode(" · "));
    li.append(phrase(t("event_target_filled"), {
      n: frame.target, of: frame.targets, qty: num(frame.qty), price: num(frame.price),
    }));
    if (frame.pnl !== null && frame.pnl !== undefined) {
      const n = Number(frame.pnl);
      li.append(document.createTextNode(" · "), phrase(t("event_pnl"), {
        pnl: ltr((n > 0 ? "+" : "") + n.toFixed(2)),
      }));
      li.lastChild.className = n > 0 ? "up" : n < 0 ? "down" : "";
    }
    if (frame.stop) {
      li.append(document.createTextNode(" · "), phrase(t("event_stop_moved"), { price: num(frame.stop) }));
    }
    return li;
  }

  function addEvent(list, frame, t, when) {
    if (frame.event !== "target_filled") return;
    list.prepend(eventItem(frame, t, when));
    while (list.children.length > MAX_EVENTS) list.lastChild.remove();
    list.hidden = false;
    if (list.previousElementSibling) list.previousElementSibling.hidden = false;
  }

  window.Plans = { planRows, levelLayout, applyEvent, addEvent };
})();
