// The inspector page (served at /__admin/ui). It reads only the control plane's routes
// (specs/admin.yaml), same-origin, and polls them while a test runs. Every text from a sandbox
// (paths, bodies, names) is set as textContent, never as HTML.
'use strict';

(() => {
  const POLL_MS = 1000;
  const JOURNAL_PAGE = 100;
  const LEADS_PAGE = 50;
  const TABS = ['Campaigns', 'Timeline', 'Journal', 'Webhooks'];
  const UNITS = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

  const state = {
    key: new URLSearchParams(location.search).get('key') ?? '',
    tab: 'Campaigns',
    /** The journal as read so far, oldest first; refetched whole when the sandbox was reset. */
    journal: [],
    journalPage: 0,
    openRequest: null,
    openCampaign: null,
    leadsOffset: 0,
    polling: false,
    again: false,
    chart: null,
    /** What the panel shows, so that a poll that finds nothing new leaves it alone. */
    shown: '',
    /** What the sandbox picker lists, likewise. */
    picker: '',
    scenarios: [],
    fixtures: [],
  };

  /** Builds an element: attributes (`on…` are listeners) and children (strings become text). */
  function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else if (name === 'className') element.className = value;
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) if (child !== null && child !== undefined) element.append(child instanceof Node ? child : String(child));
    return element;
  }

  async function api(path, init) {
    const res = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error ?? `${res.status} from ${path}`);
    return body;
  }
  const withKey = (path, query = {}) => `${path}?${new URLSearchParams({ key: state.key, ...query })}`;

  const $ = (id) => document.getElementById(id);
  const setStatus = (text, error = false) => {
    $('status').textContent = text;
    $('status').className = error ? 'error' : '';
  };
  const json = (value) => JSON.stringify(value, null, 2);

  // ---- sandbox picker ------------------------------------------------------------------------

  /**
   * Refreshes the picker (only when the list changed, so an open drop-down stays open) and says
   * whether the chosen key has a sandbox: the page does not create one just by looking.
   */
  async function refreshSandboxes() {
    const { sandboxes, total } = await api('/__admin/sandboxes');
    const chosen = state.key;
    const listing = sandboxes.find((s) => s.key === chosen);
    const labels = sandboxes.map((s) => [s.key, `${s.key} — ${s.vendors.join(', ') || 'no requests'} · ${s.requests} req · ${new Date(s.lastActivity).toLocaleTimeString()}`]);
    if (chosen && !listing) labels.unshift([chosen, `${chosen} (no sandbox yet)`]);
    if (!chosen) labels.unshift(['', sandboxes.length ? 'choose a sandbox…' : 'no sandboxes yet']);
    const picker = JSON.stringify([chosen, labels]);
    if (picker !== state.picker) {
      state.picker = picker;
      $('sandbox').replaceChildren(...labels.map(([key, label]) => h('option', { value: key, selected: key === chosen }, label)));
    }
    // Beyond the listed page, a key may still have a sandbox.
    return { listing, exists: listing !== undefined || sandboxes.length < total };
  }

  function openSandbox(key) {
    state.key = key;
    state.journal = [];
    state.journalPage = 0;
    state.openRequest = null;
    state.openCampaign = null;
    history.replaceState(null, '', key ? `?key=${encodeURIComponent(key)}` : location.pathname);
    void poll();
  }

  // ---- tabs ----------------------------------------------------------------------------------

  function renderTabs() {
    $('tabs').replaceChildren(
      ...TABS.map((tab) =>
        h('button', { role: 'tab', 'aria-selected': String(tab === state.tab), onclick: () => ((state.tab = tab), renderTabs(), void poll()) }, tab),
      ),
    );
  }

  // ---- campaigns -----------------------------------------------------------------------------

  async function loadCampaigns() {
    const { campaigns } = await api(withKey('/__admin/campaigns'));
    let detail = null;
    if (state.openCampaign) {
      const { vendor, id } = state.openCampaign;
      try {
        detail = await api(withKey(`/__admin/campaigns/${encodeURIComponent(vendor)}/${encodeURIComponent(id)}`, { offset: state.leadsOffset, limit: LEADS_PAGE }));
      } catch (error) {
        state.openCampaign = null;
        setStatus(error.message, true);
      }
    }
    return { campaigns, detail, open: state.openCampaign };
  }

  function renderCampaigns({ campaigns, detail }) {
    const rows = campaigns.map((c) => {
      const share = c.progress.total === 0 ? 0 : c.progress.done / c.progress.total;
      return h(
        'tr',
        { 'data-campaign': c.id, 'data-vendor': c.vendor, className: state.openCampaign?.id === c.id ? 'open' : '', onclick: () => ((state.openCampaign = { vendor: c.vendor, id: c.id }), (state.leadsOffset = 0), void poll()) },
        h('td', {}, c.vendor),
        h('td', {}, h('code', {}, c.id)),
        h('td', {}, c.name ?? ''),
        h('td', { 'data-field': 'status' }, h('span', { className: `badge ${c.status}` }, c.status)),
        h('td', {}, Object.entries(c.counters).map(([name, value]) => h('span', { className: 'counter', 'data-counter': name }, h('small', {}, name.replace(/_/g, ' ')), ` ${value}`))),
        h('td', {}, h('div', { className: 'bar', title: `${Math.round(share * 100)}%` }, h('div', { className: 'fill', style: `width:${(share * 100).toFixed(1)}%` })), h('small', { 'data-field': 'progress' }, `${c.progress.done}/${c.progress.total}`)),
      );
    });
    const table = h(
      'table',
      { className: 'rows', 'data-table': 'campaigns' },
      h('thead', {}, h('tr', {}, ['vendor', 'id', 'name', 'status', 'counters', 'progress'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 6, className: 'empty' }, 'No campaigns in this sandbox yet.'))),
    );
    return detail ? [table, renderCampaignDetail(detail)] : [table];
  }

  function renderCampaignDetail(detail) {
    const { vendor, id } = detail.campaign;
    const { leads, calls } = detail;
    const table = (name, items) => {
      const columns = [...new Set(items.flatMap((item) => Object.keys(item)))].filter((column) => !['notes', 'metadata', 'analysis', 'campaign_id'].includes(column));
      return h(
        'table',
        { className: 'rows small', 'data-table': name },
        h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c)))),
        h('tbody', {}, items.map((item) => h('tr', {}, columns.map((c) => h('td', { 'data-field': c }, item[c] === null || item[c] === undefined ? '' : String(item[c])))))),
      );
    };
    const last = Math.min(leads.offset + LEADS_PAGE, leads.total);
    return h(
      'div',
      { className: 'detail', 'data-detail': id },
      h('h2', {}, `${vendor} campaign `, h('code', {}, id), h('button', { className: 'close', onclick: () => ((state.openCampaign = null), void poll()) }, 'close')),
      h('h3', {}, `Leads ${leads.total === 0 ? 0 : leads.offset + 1}–${last} of `, h('span', { 'data-field': 'leads-total' }, leads.total)),
      h(
        'div',
        { className: 'pager' },
        h('button', { disabled: leads.offset === 0, onclick: () => ((state.leadsOffset = Math.max(0, leads.offset - LEADS_PAGE)), void poll()) }, '‹ previous'),
        h('button', { disabled: last >= leads.total, onclick: () => ((state.leadsOffset = leads.offset + LEADS_PAGE), void poll()) }, 'next ›'),
      ),
      table('leads', leads.items),
      h('h3', {}, `Latest calls (`, h('span', { 'data-field': 'calls-total' }, calls.total), ' in all)'),
      table('calls', calls.items),
    );
  }

  // ---- timeline ------------------------------------------------------------------------------

  const loadTimeline = () => api(withKey('/__admin/timeline'));

  function renderTimeline(timeline) {
    const totals = h(
      'div',
      { className: 'totals', 'data-table': 'timeline-totals' },
      ['placed', 'answered', 'failed', 'retried'].map((name) => h('span', { className: `total ${name}` }, h('small', {}, name), ' ', h('strong', { 'data-total': name }, timeline.totals[name]))),
      h('small', {}, ` per ${formatSeconds(timeline.intervalSeconds)} of the sandbox clock: DialNexa's call logs, Asisso's runs and Sarvam's call attempts, by start time`),
    );
    const holder = h('div', { className: 'chart', 'data-chart': 'timeline' });
    const marks = h(
      'ul',
      { className: 'marks' },
      timeline.marks.map((m) => h('li', { 'data-mark': m.status }, h('time', {}, m.at), ' ', h('code', {}, m.campaign), ' ', h('span', { className: `badge ${m.status}` }, m.status))),
    );
    requestAnimationFrame(() => drawChart(holder, timeline));
    return [totals, holder, h('h3', {}, 'Campaign status changes'), marks];
  }

  function drawChart(holder, timeline) {
    state.chart?.destroy();
    const xs = timeline.buckets.map((b) => Date.parse(b.start) / 1000);
    const series = ['placed', 'answered', 'failed', 'retried'];
    const data = [xs, ...series.map((name) => timeline.buckets.map((b) => b[name]))];
    const colors = { placed: '#2563eb', answered: '#16a34a', failed: '#dc2626', retried: '#d97706' };
    const bars = uPlot.paths.bars({ size: [0.8, 40] });
    const steps = uPlot.paths.stepped({ align: 1 });
    const markTimes = timeline.marks.map((m) => ({ x: Date.parse(m.at) / 1000, label: `${m.campaign} ${m.status}` }));
    state.chart = new uPlot(
      {
        width: Math.max(400, holder.clientWidth || 800),
        height: 300,
        scales: { x: { time: true } },
        series: [
          {},
          ...series.map((name) =>
            name === 'placed'
              ? { label: name, stroke: colors[name], fill: `${colors[name]}33`, width: 1, paths: bars, points: { show: false } }
              : { label: name, stroke: colors[name], width: 2, paths: steps, points: { show: false } },
          ),
        ],
        axes: [{}, { label: 'calls' }],
        hooks: {
          // Each campaign's creation and status change, as a dashed line across the plot.
          draw: [
            (u) => {
              const { ctx, bbox } = u;
              ctx.save();
              ctx.strokeStyle = '#6b7280';
              ctx.fillStyle = '#374151';
              ctx.setLineDash([4, 4]);
              ctx.textAlign = 'left';
              ctx.font = `${10 * devicePixelRatio}px sans-serif`;
              for (const mark of markTimes) {
                const x = u.valToPos(mark.x, 'x', true);
                if (x < bbox.left || x > bbox.left + bbox.width) continue;
                ctx.beginPath();
                ctx.moveTo(x, bbox.top);
                ctx.lineTo(x, bbox.top + bbox.height);
                ctx.stroke();
                ctx.fillText(mark.label, x + 3, bbox.top + 12 * devicePixelRatio);
              }
              ctx.restore();
            },
          ],
        },
      },
      data,
      holder,
    );
  }

  const formatSeconds = (seconds) => (seconds % 86400 === 0 ? `${seconds / 86400} d` : seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`);

  // ---- journal -------------------------------------------------------------------------------

  async function readJournal(expected) {
    // A reset (or the ring dropping entries) leaves fewer entries than the page holds: read anew.
    if (expected === undefined || expected < state.journal.length) state.journal = [];
    for (;;) {
      const after = state.journal.at(-1)?.id ?? 0;
      const { requests, next } = await api(withKey('/__admin/requests', { after, limit: 10000 }));
      state.journal.push(...requests);
      if (next === null) break;
    }
  }

  function renderJournal() {
    const entries = state.journal;
    const pages = Math.max(1, Math.ceil(entries.length / JOURNAL_PAGE));
    state.journalPage = Math.min(state.journalPage, pages - 1);
    // Newest first.
    const end = entries.length - state.journalPage * JOURNAL_PAGE;
    const shown = entries.slice(Math.max(0, end - JOURNAL_PAGE), end).reverse();
    const rows = shown.map((e) =>
      h(
        'tr',
        {
          'data-request-id': e.id,
          className: [e.violations.length ? 'violation' : '', e.scenario ? 'forced' : '', state.openRequest === e.id ? 'open' : ''].join(' ').trim(),
          onclick: () => ((state.openRequest = state.openRequest === e.id ? null : e.id), void poll()),
        },
        h('td', {}, new Date(e.time).toLocaleTimeString()),
        h('td', { 'data-field': 'method' }, e.method),
        h('td', { 'data-field': 'path' }, e.path + (e.query ?? '')),
        h('td', { 'data-field': 'operation' }, e.operationId ?? ''),
        h('td', { 'data-field': 'status' }, h('span', { className: `code c${String(e.status)[0]}` }, e.status)),
        h('td', { 'data-field': 'duration' }, `${Math.round(e.durationMs)} ms`),
        h('td', { 'data-field': 'scenario' }, e.scenario ? h('span', { className: 'badge forced' }, e.scenario) : ''),
        h('td', { 'data-field': 'violations' }, e.violations.length ? h('span', { className: 'badge violation' }, `${e.violations.length} violation${e.violations.length === 1 ? '' : 's'}`) : ''),
      ),
    );
    const open = entries.find((e) => e.id === state.openRequest);
    return [
      h(
        'div',
        { className: 'pager' },
        h('span', {}, h('strong', { 'data-field': 'journal-count' }, entries.length), ' requests, newest first'),
        h('button', { disabled: state.journalPage === 0, onclick: () => (state.journalPage--, void poll()) }, '‹ newer'),
        h('span', {}, `page ${state.journalPage + 1} of ${pages}`),
        h('button', { disabled: state.journalPage >= pages - 1, onclick: () => (state.journalPage++, void poll()) }, 'older ›'),
      ),
      h(
        'table',
        { className: 'rows', 'data-table': 'journal' },
        h('thead', {}, h('tr', {}, ['time', 'method', 'path', 'operation', 'status', 'duration', 'scenario', 'contract'].map((t) => h('th', {}, t)))),
        h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 8, className: 'empty' }, 'No requests from this key yet.'))),
      ),
      open ? renderRequest(open) : null,
    ];
  }

  function renderRequest(e) {
    return h(
      'div',
      { className: 'detail', 'data-detail': `request-${e.id}` },
      h('h2', {}, `${e.method} ${e.path}`, h('button', { className: 'close', onclick: () => ((state.openRequest = null), void poll()) }, 'close')),
      h('p', {}, `${e.vendor ?? ''} ${e.operationId ?? ''} answered ${e.status} in ${Math.round(e.durationMs)} ms`, e.scenario ? `, shaped by ${e.scenario}` : ''),
      e.violations.length ? [h('h3', {}, 'Contract violations (the caller broke the vendor contract)'), h('ul', { className: 'violations' }, e.violations.map((v) => h('li', {}, v)))] : null,
      e.replyViolations.length ? [h('h3', {}, "The mock's reply broke its spec"), h('ul', { className: 'violations' }, e.replyViolations.map((v) => h('li', {}, v)))] : null,
      h('h3', {}, 'Query'),
      h('pre', {}, e.query || '(none)'),
      h('h3', {}, 'Request body'),
      h('pre', { 'data-field': 'request-body' }, e.requestBody === undefined ? '(none)' : json(e.requestBody)),
      h('h3', {}, 'Response body'),
      h('pre', { 'data-field': 'response-body' }, e.responseBody === undefined ? '(none)' : answerText(e.responseBody)),
    );
  }

  /** An answer as sent: a JSON one indented, anything else (a CSV, a note of its size) as it is. */
  function answerText(text) {
    try {
      return json(JSON.parse(text));
    } catch {
      return text;
    }
  }

  // ---- webhooks ------------------------------------------------------------------------------

  const loadWebhooks = () => api(withKey('/__admin/webhooks'));

  function renderWebhooks({ webhooks }) {
    const signature = (headers) => Object.entries(headers ?? {}).find(([name]) => /signature/i.test(name));
    const rows = webhooks
      .slice()
      .reverse()
      .map((w) => {
        const signed = signature(w.headers);
        return h(
          'tr',
          { 'data-webhook': w.id, className: w.status === 'failed' ? 'violation' : '' },
          h('td', {}, w.vendor),
          h('td', { 'data-field': 'url' }, w.url),
          h('td', { 'data-field': 'status' }, h('span', { className: `badge ${w.status}` }, w.status), w.response_status ? ` ${w.response_status}` : '', w.error ? h('small', { className: 'error' }, ` ${w.error}`) : ''),
          h('td', { 'data-field': 'attempts' }, `${w.attempts}/${w.max_attempts}`),
          h('td', { 'data-field': 'signature' }, signed ? h('code', {}, `${signed[0]}: ${signed[1]}`) : h('small', {}, 'unsigned')),
          h('td', {}, h('details', {}, h('summary', {}, w.body?.event ?? 'payload'), h('pre', {}, json(w.body)))),
        );
      });
    return h(
      'table',
      { className: 'rows', 'data-table': 'webhooks' },
      h('thead', {}, h('tr', {}, ['vendor', 'target', 'status', 'attempts', 'signature', 'payload'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 6, className: 'empty' }, 'No webhooks sent from this sandbox.'))),
    );
  }

  // ---- controls ------------------------------------------------------------------------------

  async function act(describe, run) {
    try {
      setStatus(`${describe}…`);
      await run();
      setStatus(`${describe}: done`);
    } catch (error) {
      setStatus(`${describe}: ${error.message}`, true);
    }
    await poll();
  }

  function renderControls(scenario) {
    const amount = h('input', { type: 'number', min: '0', value: '60', id: 'advance-amount', 'aria-label': 'Amount' });
    const unit = h('select', { id: 'advance-unit', 'aria-label': 'Unit' }, Object.keys(UNITS).map((u) => h('option', { value: u, selected: u === 'minutes' }, u)));
    const scenarios = h('select', { id: 'scenario-name', 'aria-label': 'Scenario' }, state.scenarios.map((s) => h('option', { value: s.name, title: s.description, selected: s.name === scenario }, s.name)));
    const fixtures = h('select', { id: 'fixture-name', 'aria-label': 'Fixture' }, state.fixtures.map((f) => h('option', { value: f.name, title: f.description }, f.name)));
    const post = (path, body) => api(withKey(path), { method: 'POST', body: JSON.stringify(body) });
    $('controls').replaceChildren(
      h('h2', {}, 'Controls'),
      h('fieldset', {}, h('legend', {}, 'Clock'), amount, unit, h('button', { id: 'advance', onclick: () => act('Advance the clock', () => post('/__admin/clock/advance', { seconds: Number(amount.value) * UNITS[unit.value] })) }, 'Advance')),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Scenario'),
        h('p', { 'data-field': 'scenario' }, scenario ? `sticky: ${scenario}` : 'none sticky'),
        scenarios,
        h('button', { id: 'scenario-set', onclick: () => act('Set the scenario', () => api(withKey('/__admin/scenario'), { method: 'PUT', body: JSON.stringify({ name: scenarios.value }) })) }, 'Set'),
        h('button', { id: 'scenario-clear', onclick: () => act('Clear the scenario', () => api(withKey('/__admin/scenario'), { method: 'DELETE' })) }, 'Clear'),
      ),
      h('fieldset', {}, h('legend', {}, 'Fixture'), fixtures, h('button', { id: 'fixture-load', onclick: () => act('Load the fixture', () => post('/__admin/fixtures', { name: fixtures.value })) }, 'Load')),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Reset'),
        h('button', { id: 'reset', className: 'danger', onclick: () => act('Reset the sandbox', async () => (await api(withKey('/__admin/reset'), { method: 'POST' }), (state.journal = []))) }, 'Reset this sandbox'),
      ),
    );
  }

  // ---- the loop ------------------------------------------------------------------------------

  const VIEWS = {
    Campaigns: { load: loadCampaigns, render: renderCampaigns },
    Timeline: { load: loadTimeline, render: renderTimeline },
    Journal: { load: async () => ({ size: state.journal.length, last: state.journal.at(-1)?.id, page: state.journalPage, open: state.openRequest }), render: renderJournal },
    Webhooks: { load: loadWebhooks, render: renderWebhooks },
  };

  async function poll() {
    // A click while a poll is under way is shown by one more poll right after it.
    if (state.polling) return void (state.again = true);
    state.polling = true;
    state.again = false;
    try {
      const { listing, exists } = await refreshSandboxes();
      if (!state.key || !exists) {
        const message = state.key
          ? `"${state.key}" has no sandbox yet: it gets one when a request with this key reaches the mock, or when a control below is used.`
          : 'Pick a sandbox by its API key. A sandbox appears once a request with its key has reached the mock.';
        state.journal = [];
        state.shown = '';
        $('panel').replaceChildren(h('p', { className: 'empty' }, message));
        if (state.key && !$('controls').contains(document.activeElement)) renderControls(null);
        if (!state.key) $('controls').replaceChildren();
        $('clock').textContent = '';
        return;
      }
      const [{ now }, { scenario }] = await Promise.all([api(withKey('/__admin/clock')), api(withKey('/__admin/scenario'))]);
      $('clock').textContent = `sandbox clock ${now}`;
      await readJournal(listing?.requests);
      const active = document.activeElement;
      if (!$('controls').contains(active)) renderControls(scenario);
      const view = VIEWS[state.tab];
      const data = await view.load();
      // The panel is rebuilt only when what it shows changed, so an open payload, a scrolled table
      // or the chart stay as they are between polls.
      const shown = JSON.stringify([state.key, state.tab, data]);
      if (shown !== state.shown) {
        state.shown = shown;
        $('panel').replaceChildren(...[view.render(data)].flat().filter((node) => node !== null && node !== undefined));
      }
      if (!$('status').classList.contains('error')) setStatus(`updated ${new Date().toLocaleTimeString()}`);
    } catch (error) {
      setStatus(error.message, true);
    } finally {
      state.polling = false;
    }
    if (state.again) await poll();
  }

  async function start() {
    $('sandbox').addEventListener('change', (event) => openSandbox(event.target.value));
    renderTabs();
    try {
      [{ scenarios: state.scenarios }, { fixtures: state.fixtures }] = await Promise.all([api('/__admin/scenarios'), api('/__admin/fixtures')]);
    } catch (error) {
      setStatus(error.message, true);
    }
    await poll();
    setInterval(() => void poll(), POLL_MS);
  }

  void start();
})();
