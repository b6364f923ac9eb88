// EdgeAMP HIL fleet dashboard. Live data: server-sent events from GET /api/v1/events, which the HIL
// server bridges from its MQTT subscription (board status, telemetry, job events, results), read
// with fetch() so the bearer token goes in the Authorization header. Token: from the URL fragment
// (#token=...) printed by `toolchain hil serve`, moved to sessionStorage and removed from the address bar.
'use strict';
(function () {
  const TOKEN_KEY = 'edgeamp.hil.token';
  const MAX_SAMPLES = 5000;
  const boards = new Map();
  const jobs = new Map();
  const series = new Map();
  const events = new Map();
  const stats = { events: 0, telemetry: 0, results: 0, dropped: 0, connects: 0 };
  const shown = {};
  window.edgeamp = { stats, shown, boards, jobs, series };
  let selected = null;
  let detailId = null;
  let latencyChart = null;
  let metricChart = null;
  let renderTimer = null;
  let ownServer = '';

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- token
  (function takeTokenFromFragment() {
    const m = /(?:^#|&)token=([^&]+)/.exec(location.hash || '');
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
  })();
  const token = () => sessionStorage.getItem(TOKEN_KEY) || '';
  const auth = () => ({ Authorization: 'Bearer ' + token() });

  function showLogin(msg) {
    $('app').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = msg || '';
  }
  $('use').onclick = () => {
    sessionStorage.setItem(TOKEN_KEY, $('tok').value.trim());
    start();
  };

  async function get(path, text) {
    const r = await fetch(path, { headers: auth(), cache: 'no-store' });
    if (r.status === 401) { const e = new Error('unauthorized'); e.status = 401; throw e; }
    if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
    return text ? r.text() : r.json();
  }

  // ---------------------------------------------------------------- model
  function board(id) {
    let b = boards.get(id);
    if (!b) { b = { id }; boards.set(id, b); }
    return b;
  }
  function job(id) {
    let j = jobs.get(id);
    if (!j) { j = { id, ts: Date.now() }; jobs.set(id, j); }
    return j;
  }
  function seriesOf(model, boardId) {
    const key = (model || '?') + ' @ ' + (boardId || '?');
    let s = series.get(key);
    if (!s) { s = { key, lat: [], resultMedians: [], metrics: [], unit: '', jobs: new Set() }; series.set(key, s); }
    return s;
  }
  function pushCapped(a, v) { a.push(v); if (a.length > MAX_SAMPLES) a.splice(0, a.length - MAX_SAMPLES); }

  function applyResult(r, live) {
    if (!r || !r.job) return;
    const j = job(r.job);
    j.state = r.state || 'done';
    j.board = r.board || j.board;
    j.model = r.model || j.model;
    j.verdict = r.verdict;
    j.attempts = r.attempts;
    j.server = r.server || j.server;
    j.error = r.error;
    j.unit = r.unit;
    const lat = r.latency && r.latency.cycles;
    j.latency = lat && lat.median != null ? lat.median : null;
    j.metric = r.metric ? r.metric.value : null;
    j.metricName = r.metric ? r.metric.name : null;
    j.resultTs = r.ts;
    j.ts = r.ts || j.ts;
    if (r.state === 'done') {
      const s = seriesOf(r.model, r.board);
      s.unit = r.unit || s.unit;
      if (!s.jobs.has(r.job)) {
        s.jobs.add(r.job);
        if (j.latency != null) pushCapped(s.resultMedians, j.latency);
        if (j.metric != null) s.metrics.push({ ts: r.ts || Date.now(), value: j.metric, job: r.job });
        s.metrics.sort((a, b) => a.ts - b.ts);
      }
      if (!selected) selected = s.key;
    }
    if (live) {
      stats.results++;
      const b = $('last-result');
      b.textContent = 'result ' + r.job + ': ' + (r.verdict || r.state) + ' on ' + (r.board || '?') +
        (j.latency != null ? ', median ' + j.latency + ' ' + (r.unit || '') : '') +
        (j.metric != null ? ', ' + j.metricName + ' ' + j.metric : '');
      b.className = 'banner ' + (r.verdict === 'pass' ? 'pass' : 'fail');
      b.dataset.job = r.job;
      renderNow();
      shown[r.job] = Date.now();
    }
  }

  function applyEvent(kind, key, body) {
    stats.events++;
    if (kind === 'status') {
      const b = board(key);
      b.state = body.state; b.firmware = body.firmware; b.job = body.job; b.profile = body.profile || b.profile;
      b.reason = body.reason;
    } else if (kind === 'telemetry') {
      stats.telemetry++;
      const b = board(key);
      b.model = body.model || b.model;
      b.lastLatency = body.latency_cycles;
      b.unit = body.unit;
      if (body.latency_cycles != null) {
        const s = seriesOf(body.model, key);
        s.unit = body.unit || s.unit;
        pushCapped(s.lat, body.latency_cycles);
        if (!selected) selected = s.key;
      }
    } else if (kind === 'event') {
      const j = job(key);
      const list = events.get(key) || [];
      list.push(body); if (list.length > 200) list.shift();
      events.set(key, list);
      if (body.type === 'accepted') j.state = j.state || 'queued';
      else if (body.type === 'started') { j.state = 'running'; j.board = body.board; j.attempts = body.attempt; }
      else if (body.type === 'flashing') { j.state = 'running'; j.board = body.board; j.progress = 'flashing'; }
      else if (body.type === 'running') { j.model = body.model; j.progress = '0/' + body.vectors; }
      else if (body.type === 'progress') j.progress = body.done + '/' + body.total;
      else if (body.type === 'attempt-failed') { j.error = body.error; j.state = body.next === 'retry' ? 'queued' : 'failed'; }
      else if (body.type === 'rejected') { j.state = 'rejected'; j.error = body.error; }
      if (key === detailId) renderDetailEvents();
    } else if (kind === 'result') {
      applyResult(body, true);
      if (key === detailId) openDetail(key);
      return;
    } else if (kind === 'snapshot') {
      for (const s of body.boards || []) applyEvent('status', s.board, s);
    } else if (kind === 'hello') {
      $('server').textContent = 'server ' + body.server + ', site ' + body.site;
    } else if (kind === 'dropped') {
      stats.dropped += body.telemetry || 0;
    }
    scheduleRender();
  }

  // ---------------------------------------------------------------- rendering
  function td(tr, text, cls) {
    const c = tr.insertCell();
    c.textContent = text == null ? '' : String(text);
    if (cls) c.className = cls;
    return c;
  }
  function quantile(sorted, q) {
    if (!sorted.length) return null;
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  }
  function scheduleRender() {
    if (renderTimer == null) renderTimer = setTimeout(renderNow, 150);
  }
  function renderNow() {
    if (renderTimer != null) { clearTimeout(renderTimer); renderTimer = null; }
    renderBoards(); renderJobs(); renderLatency(); renderCharts();
  }
  function renderBoards() {
    const tb = $('boards').tBodies[0];
    tb.textContent = '';
    const ids = [...boards.keys()].sort();
    for (const id of ids) {
      const b = boards.get(id);
      const tr = tb.insertRow();
      tr.dataset.board = id;
      td(tr, id); td(tr, b.profile); td(tr, b.state, b.state); td(tr, b.job); td(tr, b.firmware);
      td(tr, b.model); td(tr, b.lastLatency == null ? '' : b.lastLatency + ' ' + (b.unit || '')); td(tr, b.server);
      if (b.job) tr.onclick = () => openDetail(b.job);
    }
    $('board-count').textContent = '(' + ids.length + ' boards, ' +
      ids.filter((i) => ['running', 'flashing'].includes(boards.get(i).state)).length + ' busy)';
  }
  function renderJobs() {
    const tb = $('jobs').tBodies[0];
    tb.textContent = '';
    const list = [...jobs.values()].sort((a, b) => (b.ts || 0) - (a.ts || 0)).slice(0, 200);
    for (const j of list) {
      const tr = tb.insertRow();
      tr.dataset.job = j.id;
      if (shown[j.id]) tr.dataset.shown = shown[j.id];
      td(tr, j.id); td(tr, j.state, j.state); td(tr, j.board); td(tr, j.model); td(tr, j.verdict, j.verdict);
      td(tr, j.latency == null ? '' : j.latency + ' ' + (j.unit || ''));
      td(tr, j.metric == null ? '' : (j.metricName || '') + ' ' + j.metric);
      td(tr, j.attempts); td(tr, j.progress); td(tr, j.server);
      tr.onclick = () => openDetail(j.id);
    }
    $('job-count').textContent = '(' + jobs.size + ', ' +
      [...jobs.values()].filter((j) => j.state === 'running').length + ' running)';
  }
  function renderLatency() {
    const tb = $('latency').tBodies[0];
    tb.textContent = '';
    const sel = $('series');
    const keys = [...series.keys()].sort();
    if (sel.options.length !== keys.length) {
      sel.textContent = '';
      for (const k of keys) sel.add(new Option(k, k));
    }
    if (selected) sel.value = selected;
    for (const k of keys) {
      const s = series.get(k);
      const src = s.lat.length ? s.lat : s.resultMedians;
      const sorted = [...src].sort((a, b) => a - b);
      const tr = tb.insertRow();
      tr.dataset.series = k;
      const last = s.metrics.length ? s.metrics[s.metrics.length - 1].value : null;
      td(tr, k); td(tr, sorted.length); td(tr, quantile(sorted, 0.5)); td(tr, quantile(sorted, 0.95)); td(tr, s.unit);
      td(tr, last); td(tr, s.jobs.size);
      tr.onclick = () => { selected = k; renderNow(); };
    }
  }
  function renderCharts() {
    if (typeof Chart === 'undefined' || !selected || !series.has(selected)) return;
    const s = series.get(selected);
    const src = s.lat.length ? s.lat : s.resultMedians;
    let labels = [];
    let counts = [];
    if (src.length) {
      let lo = Infinity, hi = -Infinity;
      for (const v of src) { if (v < lo) lo = v; if (v > hi) hi = v; }
      const bins = lo === hi ? 1 : 20;
      const w = (hi - lo) / bins || 1;
      counts = new Array(bins).fill(0);
      for (const v of src) counts[Math.min(bins - 1, Math.floor((v - lo) / w))]++;
      labels = counts.map((_, i) => String(Math.round(lo + i * w)));
    }
    const metricLabels = s.metrics.map((m) => new Date(m.ts).toLocaleTimeString());
    const metricValues = s.metrics.map((m) => m.value);
    if (!latencyChart) {
      latencyChart = new Chart($('latency-chart'), {
        type: 'bar', data: { labels, datasets: [{ label: 'latency distribution', data: counts, backgroundColor: '#4a7bd0' }] },
        options: { animation: false, maintainAspectRatio: false, plugins: { title: { display: true, text: '' } },
          scales: { x: { title: { display: true, text: 'latency' } }, y: { title: { display: true, text: 'samples' } } } },
      });
      metricChart = new Chart($('metric-chart'), {
        type: 'line', data: { labels: metricLabels, datasets: [{ label: 'metric per job', data: metricValues, borderColor: '#2a2' }] },
        options: { animation: false, maintainAspectRatio: false, plugins: { title: { display: true, text: '' } },
          scales: { y: { suggestedMin: 0, suggestedMax: 1 } } },
      });
    }
    latencyChart.data.labels = labels;
    latencyChart.data.datasets[0].data = counts;
    latencyChart.options.plugins.title.text = s.key + ' (' + (s.unit || 'latency') + ')';
    latencyChart.update('none');
    metricChart.data.labels = metricLabels;
    metricChart.data.datasets[0].data = metricValues;
    metricChart.options.plugins.title.text = s.key + ' metric history';
    metricChart.update('none');
  }
  $('series').onchange = (e) => { selected = e.target.value; renderNow(); };

  // ---------------------------------------------------------------- job details
  function renderDetailEvents() {
    const ol = $('detail-events');
    ol.textContent = '';
    for (const e of events.get(detailId) || []) {
      const li = document.createElement('li');
      li.textContent = new Date(e.ts || Date.now()).toLocaleTimeString() + ' ' + e.type + ' ' +
        JSON.stringify(Object.fromEntries(Object.entries(e).filter(([k]) => !['type', 'ts', 'job'].includes(k))));
      ol.appendChild(li);
    }
  }
  async function openDetail(id) {
    detailId = id;
    $('detail').hidden = false;
    $('detail-id').textContent = id;
    renderDetailEvents();
    const put = async (el, f) => { try { $(el).textContent = await f(); } catch (e) { $(el).textContent = String(e.message || e); } };
    await Promise.all([
      put('detail-job', async () => JSON.stringify(await get('/api/v1/jobs/' + encodeURIComponent(id)), null, 2)),
      put('detail-result', async () => JSON.stringify(await get('/api/v1/jobs/' + encodeURIComponent(id) + '/result'), null, 2)),
      put('detail-logs', async () => get('/api/v1/jobs/' + encodeURIComponent(id) + '/logs', true)),
    ]);
  }
  $('detail-close').onclick = () => { detailId = null; $('detail').hidden = true; };

  // ---------------------------------------------------------------- loading and the live stream
  async function loadInitial() {
    const server = await get('/api/v1/server');
    ownServer = server.server;
    $('server').textContent = 'server ' + server.server + ', site ' + server.site + ', MQTT ' + server.mqtt.url;
    for (const b of await get('/api/v1/boards')) {
      const x = board(b.id);
      Object.assign(x, { profile: b.profile, state: b.state, job: b.job, firmware: b.firmware, server: ownServer });
    }
    for (const j of await get('/api/v1/jobs')) {
      const x = job(j.id);
      x.state = x.state && x.verdict ? x.state : j.state;
      x.board = j.board || x.board; x.attempts = j.attempts; x.ts = j.created || x.ts;
      x.server = x.server || ownServer;
    }
    for (const r of (await get('/api/v1/results?limit=500')).reverse()) applyResult(r, false);
    renderNow();
  }

  function handleBlock(block) {
    let ev = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      if (line.startsWith('event:')) ev = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (!data.length) return;
    const msg = JSON.parse(data.join('\n'));
    if (ev === 'hello' || ev === 'dropped' || ev === 'snapshot') applyEvent(ev, null, msg);
    else applyEvent(msg.kind, msg.key, msg.body);
  }
  function setConn(on) {
    const c = $('conn');
    c.textContent = on ? 'live' : 'reconnecting';
    c.className = 'conn ' + (on ? 'on' : 'off');
  }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  async function stream() {
    for (;;) {
      try {
        const r = await fetch('/api/v1/events', { headers: auth(), cache: 'no-store' });
        if (r.status === 401) { showLogin('the server rejected the token'); return; }
        if (!r.ok) throw new Error('HTTP ' + r.status);
        stats.connects++;
        setConn(true);
        const reader = r.body.getReader();
        const dec = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            try { handleBlock(block); } catch (e) { console.warn('bad event', e); }
          }
        }
      } catch (e) {
        console.warn('event stream', e);
      }
      setConn(false);
      await sleep(1000);
      try { await loadInitial(); } catch (e) { /* server away; retry */ }
    }
  }

  async function start() {
    if (!token()) { showLogin(''); return; }
    try {
      await loadInitial();
    } catch (e) {
      showLogin(e.status === 401 ? 'the server rejected the token' : String(e.message || e));
      return;
    }
    $('login').hidden = true;
    $('app').hidden = false;
    renderNow();
    stream();
  }
  start();
})();
