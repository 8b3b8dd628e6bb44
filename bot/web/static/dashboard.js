// The personal dashboard: render the snapshot, then apply live frames from the WebSocket.
// The link's key is read from this page's own address to open the socket on this same host;
// it is never written into the page, and never sent anywhere else. Every value from the server
// goes in through textContent, never as HTML.
(() => {
  "use strict";

  const T = JSON.parse(document.getElementById("strings").textContent);
  const query = new URLSearchParams(location.search);
  const key = query.get("key") || "";
  const lang = document.documentElement.lang || "en";
  const MAX_ROWS = 50;
  const MAX_DELAY_MS = 30000;
  const PLOT_CONFIG = { displayModeBar: false, responsive: true };
  const COLORS = { up: "#0a8f5a", down: "#c62f3b", line: "#2f6fde", exit: "#1b1f24" };

  const state = {
    settings: null, positions: null, charts: null, chosen: null,
    signals: new Map(), priced: new Set(), socket: null, delay: 1000, snapshots: 0,
  };

  const $ = (id) => document.getElementById(id);
  const t = (key) => (key in T ? T[key] : key);

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  // --- formatting (Latin digits in both languages, as on exchanges) ---
  // As in messages (bot/i18n/numbers.py): thousands separators and a true minus sign.

  const pad = (n) => String(n).padStart(2, "0");
  function clock(at) {
    const d = new Date(at * 1000);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }
  function stamp(at) {  // local time, as Plotly reads a date string
    const d = new Date(at * 1000);
    const ms = String(d.getMilliseconds()).padStart(3, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(at)}.${ms}`;
  }
  function when(at) {
    if (!at) return "";
    const d = new Date(at * 1000);
    const today = new Date().toDateString() === d.toDateString();
    return today ? clock(at) : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(at)}`;
  }
  const grouped = (n, places) => n.toLocaleString("en-US", places).replace("-", "\u2212");
  function number(value, decimals) {
    if (value === null || value === undefined || value === "") return "";
    const n = Number(value);
    if (!Number.isFinite(n)) return String(value);
    return grouped(Number(n.toFixed(decimals)), { maximumFractionDigits: decimals });
  }
  function signed(value) {
    if (value === null || value === undefined || value === "") return "";
    const n = Number(value);
    const cents = { minimumFractionDigits: 2, maximumFractionDigits: 2 };
    return (n > 0 ? "+" : "") + grouped(n, cents);
  }
  // A signal's action as a word of the page's language (buy → شراء); unknown ones as sent.
  const actionWord = (name) => (`action_${name}` in T ? T[`action_${name}`] : name.toUpperCase());
  function ltr(text, className) {
    return el("span", text, className ? `ltr ${className}` : "ltr");
  }

  // --- connection status ---

  function setConn(name) {
    const badge = $("conn");
    badge.dataset.state = name;
    badge.textContent = t(name === "offline" ? "reconnecting" : name);
  }
  function notice(text) {
    const box = $("notice");
    box.textContent = text;
    box.hidden = !text;
  }

  // --- settings and positions ---

  function renderSettings() {
    const s = state.settings;
    const list = $("settings");
    list.replaceChildren();
    if (!s) return;
    const add = (label, value, className) => {
      list.append(el("dt", label));
      const dd = el("dd", null, className);
      dd.append(value instanceof Node ? value : document.createTextNode(String(value)));
      list.append(dd);
    };
    add(t("market"), t(s.market));
    add(t("account"), t(s.account));
    add(t("amount"), ltr(number(s.amount, 8)));
    if (s.market === "futures") add(t("leverage"), ltr(`${s.leverage}x`));
    const trading = !s.active ? t("inactive") : s.paused ? t("paused") : t("running");
    add(t("trading"), trading, s.active && !s.paused ? "up" : "down");
    const p = state.positions;
    if (p && p.balance) add(t("balance"), ltr(number(p.balance, 2)));
  }

  function renderPositions() {
    const box = $("positions");
    const p = state.positions;
    box.replaceChildren();
    box.dataset.state = p ? p.state : "none";
    if (!p || p.state === "loading") return void box.append(el("p", t("positions_loading"), "muted"));
    if (p.state === "unavailable") {
      const line = el("p", t("positions_unavailable"), "muted");
      if (p.message) line.title = p.message;
      return void box.append(line);
    }
    if (!p.rows.length) return void box.append(el("p", t("no_positions"), "muted"));
    const table = el("table", null, "stack");
    const head = el("tr");
    for (const key of ["symbol", "side", "size", "entry_price", "mark_price", "upnl", "leverage"]) {
      head.append(el("th", t(key)));
    }
    const thead = el("thead");
    thead.append(head);
    table.append(thead);
    const body = el("tbody");
    for (const row of p.rows) {
      const tr = el("tr");
      tr.dataset.symbol = row.symbol;
      const long = row.side === "Buy";
      const pnl = row.upnl === null || row.upnl === undefined ? "" :
        signed(row.upnl) + (row.upnl_pct ? ` (${signed(row.upnl_pct)}%)` : "");
      tr.append(cell(ltr(row.symbol)), cell(t(long ? "long" : "short"), long ? "up" : "down"),
        cell(ltr(number(row.size, 8))), cell(ltr(number(row.avg_price, 8))),
        cell(ltr(number(row.mark, 8))),
        cell(ltr(pnl), Number(row.upnl) > 0 ? "up" : Number(row.upnl) < 0 ? "down" : ""),
        cell(ltr(row.leverage ? `${number(row.leverage, 2)}x` : "")));
      body.append(labelled(table, tr));
      body.append(...window.Plans.planRows(row, head.cells.length, t));  // its exits
    }
    table.append(body);
    const wrap = el("div", null, "scroll");
    wrap.append(table);
    box.append(wrap);
  }

  function cell(content, className) {
    const td = el("td", null, className);
    td.append(content instanceof Node ? content : document.createTextNode(String(content ?? "")));
    return td;
  }

  function labelled(table, tr) {  // on a phone each cell shows its column's name above it
    const names = [...table.tHead.rows[0].cells].map((th) => th.textContent);
    [...tr.cells].forEach((td, i) => {
      if (!td.classList.contains("reason") && td.colSpan < 2) td.dataset.label = names[i];
    });
    return tr;
  }

  // --- signals ---

  function signalRow(s) {
    const tr = el("tr");
    tr.dataset.signalId = s.id;
    tr.dataset.status = s.status;
    const arrow = document.documentElement.dir === "rtl" ? " ← " : " → ";
    const action = !s.action ? "" : s.position ?
      actionWord(s.action) + arrow + actionWord(s.position) : actionWord(s.action);
    tr.append(cell(ltr(when(s.at))), cell(ltr(s.symbol || "")),
      cell(el("bdi", action)), cell(ltr(number(s.price, 8))),
      cell(el("span", t(`status_${s.status}`), `badge status-${s.status}`)),
      cell(el("bdi", s.reason || ""), "reason"));
    return labelled($("signals"), tr);
  }

  function putSignal(update) {
    const old = state.signals.get(update.id) || {};
    const merged = { ...old };
    for (const [key, value] of Object.entries(update)) {
      if (value !== undefined && value !== null) merged[key] = value;
    }
    merged.at = old.at || update.at;
    state.signals.set(update.id, merged);
    const body = $("signals").tBodies[0];
    const row = signalRow(merged);
    const existing = body.querySelector(`tr[data-signal-id="${Number(update.id)}"]`);
    if (existing) existing.replaceWith(row);
    else {
      const after = [...body.rows].find((r) => Number(r.dataset.signalId) < update.id);
      body.insertBefore(row, after || null);
      while (body.rows.length > MAX_ROWS) {
        state.signals.delete(Number(body.rows[body.rows.length - 1].dataset.signalId));
        body.deleteRow(-1);
      }
    }
    $("signals-empty").hidden = body.rows.length > 0;
  }

  function renderSignals(rows) {
    $("signals").tBodies[0].replaceChildren();
    state.signals.clear();
    for (const s of [...rows].reverse()) putSignal(s);
    $("signals-empty").hidden = rows.length > 0;
  }

  // --- orders ---

  function renderOrders(orders) {
    const body = $("orders").tBodies[0];
    body.replaceChildren();
    for (const o of orders) {
      const tr = el("tr");
      tr.dataset.signalId = o.signal_id;
      const pnl = o.pnl === null ? "" : signed(o.pnl);
      const side = t(o.side) + (o.reduce_only ? ` (${t("exit")})` : "");
      tr.append(cell(ltr(when(o.at))), cell(ltr(o.symbol)),
        cell(side, o.side === "Buy" ? "up" : "down"), cell(ltr(number(o.qty, 8))),
        cell(ltr(number(o.price, 8))),
        cell(ltr(o.fee ? `${number(o.fee, 6)} ${o.fee_currency || ""}` : "")),
        cell(ltr(pnl), Number(o.pnl) > 0 ? "up" : Number(o.pnl) < 0 ? "down" : ""),
        cell(el("span", t(`order_${o.status}`), `badge order-${o.status}`)));
      if (o.error) tr.title = o.error;
      body.append(labelled($("orders"), tr));
    }
    $("orders-empty").hidden = orders.length > 0;
  }

  // --- charts ---

  const plotly = () => window.Plotly;

  function layout(extra) {
    return {
      margin: { l: 52, r: 12, t: 8, b: 40 }, showlegend: false, hovermode: "closest",
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      font: { size: 11 }, xaxis: { type: "date", automargin: true, nticks: innerWidth < 600 ? 4 : 8 },
      yaxis: { automargin: true, zeroline: true, exponentformat: "none" }, ...extra,
    };
  }

  function renderPnl() {
    const box = $("pnl-chart");
    const points = (state.charts && state.charts.pnl) || [];
    box.dataset.points = points.length;
    if (points.length) delete box.dataset.empty;
    else box.dataset.empty = t("no_trades");
    if (!plotly()) return;
    const x = points.map((p) => stamp(p[0]));
    const y = points.map((p) => p[1]);
    if (points.length) { x.unshift(x[0]); y.unshift(0); }
    const last = y.length ? y[y.length - 1] : 0;
    const color = last < 0 ? COLORS.down : COLORS.up;
    plotly().react(box, [{
      x, y, type: "scatter", mode: "lines+markers", line: { shape: "hv", color },
      marker: { size: 5 }, fill: "tozeroy", fillcolor: last < 0 ? "rgba(198,47,59,.12)" : "rgba(10,143,90,.12)",
      text: ["", ...points.map((p) => `${p[2]} #${p[3]}`)],
      hovertemplate: "%{y:.2f} USDT<br>%{text}<extra></extra>",
    }], layout({}), PLOT_CONFIG);
  }

  function currentSymbol() {
    const prices = (state.charts && state.charts.prices) || {};
    if (state.chosen && prices[state.chosen]) return state.chosen;
    return state.charts && state.charts.symbol;
  }

  function renderSymbols() {
    const select = $("symbol");
    const prices = (state.charts && state.charts.prices) || {};
    const symbols = Object.keys(prices).sort();
    const current = currentSymbol();
    select.replaceChildren(...symbols.map((s) => {
      const option = el("option", s);
      option.value = s;
      option.selected = s === current;
      return option;
    }));
    select.hidden = symbols.length === 0;
  }

  function renderPrice() {
    const box = $("price-chart");
    const symbol = currentSymbol();
    const series = (symbol && state.charts.prices[symbol]) || { line: [], marks: [] };
    const levels = series.levels || [];
    box.dataset.symbol = symbol || "";
    box.dataset.points = series.line.length;
    box.dataset.marks = series.marks.length;
    box.dataset.levels = levels.length;
    box.dataset.filled = levels.filter((level) => level.filled).length;
    if (series.line.length) delete box.dataset.empty;
    else box.dataset.empty = t("no_prices");
    if (!plotly()) return;
    const marks = (pick, name, symbolName, color) => {
      const chosen = series.marks.filter(pick);
      return {
        x: chosen.map((m) => stamp(m.at)), y: chosen.map((m) => m.price), name,
        type: "scatter", mode: "markers",
        marker: { symbol: symbolName, size: 12, color, line: { width: 1, color: "#fff" } },
        text: chosen.map((m) => `${t(m.side)} ${m.qty} #${m.signal_id}`),
        hovertemplate: `${name}: %{y}<br>%{text}<extra></extra>`,
      };
    };
    plotly().react(box, [
      { x: series.line.map((p) => stamp(p[0])), y: series.line.map((p) => p[1]), name: t("price"),
        type: "scatter", mode: "lines", line: { color: COLORS.line, width: 2 },
        hovertemplate: "%{y}<extra></extra>" },
      marks((m) => !m.exit && m.side === "Buy", t("entry"), "triangle-up", COLORS.up),
      marks((m) => !m.exit && m.side === "Sell", t("entry"), "triangle-down", COLORS.down),
      marks((m) => m.exit, t("exit"), "x", COLORS.exit),
    ], layout(window.Plans.levelLayout(levels, t)), PLOT_CONFIG);
  }

  function renderCharts() {
    renderSymbols();
    renderPnl();
    renderPrice();
  }

  function addPricePoint(frame) {  // a new alert moves the price line before it executes
    if (!state.charts || frame.price === null || frame.price === undefined || !frame.symbol) return;
    if (state.priced.has(frame.id)) return;
    state.priced.add(frame.id);
    const prices = state.charts.prices;
    const series = prices[frame.symbol] || (prices[frame.symbol] = { line: [], marks: [] });
    series.line.push([frame.at, Number(frame.price)]);
    if (!state.chosen) state.charts.symbol = frame.symbol;
    renderSymbols();
    if (currentSymbol() === frame.symbol) renderPrice();
  }

  // --- frames ---

  const handlers = {
    snapshot(frame) {
      state.settings = frame.settings;
      state.positions = frame.positions;
      state.charts = frame.charts;
      state.priced = new Set(frame.signals.filter((s) => s.price !== null).map((s) => s.id));
      $("who").textContent = frame.user.name ? `· ${frame.user.name}` : "";
      renderSettings();
      renderPositions();
      renderSignals(frame.signals);
      renderOrders(frame.orders);
      renderCharts();
      state.delay = 1000;
      state.snapshots += 1;
      document.body.dataset.snapshots = state.snapshots;
      setConn("live");
      notice("");
    },
    update(frame) {
      state.settings = frame.settings;
      state.positions = frame.positions.state === "loading" && state.positions &&
        state.positions.source === "exchange" ? state.positions : frame.positions;
      state.charts = frame.charts;
      renderSettings();
      renderPositions();
      renderOrders(frame.orders);
      renderCharts();
    },
    positions(frame) {
      if (state.settings && frame.account !== state.settings.account) return;
      state.positions = frame.positions;
      renderPositions();
      renderSettings();
    },
    signal(frame) {
      putSignal(frame);
      addPricePoint(frame);
    },
    position(frame) {  // a target filled: say so, and mark it now (an update follows)
      window.Plans.addEvent($("position-events"), frame, t, when);
      window.Plans.applyEvent(frame, state.positions, state.charts);
      renderPositions();
      if (currentSymbol() === frame.symbol) renderPrice();
    },
  };

  // --- the socket: reconnect with backoff, and stop when the link is no longer valid ---

  const CLOSE_LINK_ENDED = 4001;  // the server ended the socket: the link expired or was revoked

  // Beside this page (/personal/<id>/ws), under whatever path a proxy serves it from.
  function feedPath() {
    const feed = location.pathname.replace(/\/dashboard$/, "/ws");
    return `//${location.host}${feed}` +
      `?key=${encodeURIComponent(key)}&lang=${encodeURIComponent(lang)}`;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(scheme + feedPath());
    state.socket = socket;
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      const handle = handlers[frame.type];
      if (handle) handle(frame);
    };
    socket.onclose = (event) => {
      if (state.socket !== socket) return;
      setConn("reconnecting");
      reconnectLater(event.code === CLOSE_LINK_ENDED ? 0 : null);
    };
  }

  // Why the feed refuses this link, if it does: the same address over plain HTTP answers 200
  // while the link works, and a refused link with its 401 and a code (link_expired,
  // link_invalid), which a browser's WebSocket cannot read. null: the link still works (or the
  // server is down: keep trying).
  async function linkRefusal() {
    try {
      const answer = await fetch(location.protocol + feedPath(), { cache: "no-store" });
      if (answer.status === 404) return "link_invalid";
      if (answer.status !== 401) return null;
      const body = await answer.json().catch(() => ({}));
      return body.error === "link_expired" ? "link_expired" : "link_invalid";
    } catch (error) {
      return null;
    }
  }

  function reconnectLater(now) {
    const delay = now === null ? state.delay : now;
    if (now === null) state.delay = Math.min(state.delay * 2, MAX_DELAY_MS);
    setTimeout(async () => {
      const refused = await linkRefusal();
      if (refused === null) connect();
      else { setConn("offline"); notice(t(refused)); }
    }, delay);
  }

  $("symbol").addEventListener("change", (event) => {
    state.chosen = event.target.value;
    renderPrice();
  });
  connect();
})();
