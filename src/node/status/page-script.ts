/**
 * The status page's inline script: every `REFRESH_MS` it fetches `STATUS_JSON_PATH` and re-renders the sections with
 * the same markup as sections.ts (a port of it, in plain browser JavaScript; values only ever reach the page through
 * `e()`, so a peer id or a client version cannot inject markup). A failed fetch marks the page stale and keeps the
 * last figures. Without JavaScript the server-rendered page stands, and a `<noscript>` refresh reloads it.
 */
export const STATUS_JSON_PATH = '/status-page.json';
export const REFRESH_MS = 3_000;

export const PAGE_SCRIPT = String.raw`
(() => {
  const PATH = ${JSON.stringify(STATUS_JSON_PATH)};
  const REFRESH_MS = ${REFRESH_MS};
  const MAP = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const e = v => String(v).replace(/[&<>"']/g, c => MAP[c]);
  const n = x => (x === null ? '—' : x.toLocaleString('en-US'));
  const short = (id, keep = 6) => (id.length <= keep * 2 + 1 ? id : id.slice(0, keep) + '…' + id.slice(-keep));
  const eta = s => {
    if (s === null) return '—';
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = Math.floor(s % 60);
    return h > 0 ? h + 'h ' + m + 'm' : m > 0 ? m + 'm ' + r + 's' : r + 's';
  };
  const OUTCOMES = ['missed', 'not-on-l1', 'other-block', 'pending', 'no-block', 'landed'];
  const TEXT = {
    landed: 'landed on L1', 'other-block': 'another block landed', 'not-on-l1': 'signed, not on L1',
    missed: 'missed', 'no-block': 'no block', pending: 'pending',
  };

  function state(v) {
    const s = v.sync;
    const [cls, text] = !v.node.ready
      ? (s.syncing ? ['warn', 'Syncing ' + s.percent.toFixed(1) + '%'] : ['bad', 'Not ready'])
      : (s.syncing ? ['warn', 'Syncing ' + s.percent.toFixed(1) + '%'] : ['ok', 'Synced']);
    const why = v.node.notReady.length > 0 ? ' title="' + e(v.node.notReady.join('\n')) + '"' : '';
    return '<span class="pill ' + cls + '" data-field="state"' + why + '>' + e(text) + '</span>';
  }

  const card = (label, field, value, sub) =>
    '<div class="card"><div class="label">' + e(label) + '</div><div class="value" data-field="' + e(field) + '">' +
    e(value) + '</div><div class="sub">' + sub + '</div></div>';

  function overview(v) {
    const s = v.sync, vals = v.validators.list;
    const lag = s.l1Lag === null ? '—' : n(s.l1Lag) + ' behind';
    const missed = vals.reduce((m, x) => m + x.totals.missed, 0);
    const landed = vals.reduce((m, x) => m + x.totals.landed, 0);
    return card('L2 block', 'l2-latest', n(s.l2Latest), 'proven ' + e(n(s.l2Proven)) + ' · finalized ' + e(n(s.l2Finalized))) +
      card('L1 block', 'l1-head', n(s.l1Head), 'archiver at ' + e(n(s.archiverL1Block)) + ' · ' + e(lag)) +
      card('Slot', 'slot', v.slot ? n(v.slot.slot) : '—', 'epoch ' + e(v.slot ? n(v.slot.epoch) : '—')) +
      card('Peers', 'peer-count', v.peers.enabled ? n(v.peers.count) : 'off', v.peers.enabled ? 'connected' : 'P2P_ENABLED is off') +
      card('Validators', 'validator-count', n(vals.length),
        vals.length === 0 ? 'none on this node' : e(n(landed)) + ' landed · ' + e(n(missed)) + ' missed');
  }

  function sync(v) {
    const s = v.sync, pct = Math.max(0, Math.min(100, s.percent));
    const head = s.paused ? '<span class="pill warn">Paused</span>'
      : s.syncing ? '<span class="pill warn">Syncing</span>' : '<span class="pill ok">In sync</span>';
    const rate = !s.syncing || s.blocksPerSecond === null ? '' : ' · ' + e(s.blocksPerSecond.toFixed(1)) + ' blocks/s';
    const et = s.syncing ? ' · ETA <b data-field="eta">' + e(eta(s.etaSeconds)) + '</b>' : '';
    const ws = s.worldStateBlock === null ? '' : ' · world state at ' + e(n(s.worldStateBlock));
    const err = s.error === null ? '' : '<p class="error">L1 sync failing: ' + e(s.error) + '</p>';
    const notReady = v.node.notReady.length === 0 ? ''
      : '<ul class="reasons">' + v.node.notReady.map(r => '<li>' + e(r) + '</li>').join('') + '</ul>';
    return '<h2>Sync ' + head + '</h2>' +
      '<div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="' + e(pct.toFixed(1)) + '">' +
      '<div style="width:' + e(pct.toFixed(2)) + '%"></div></div>' +
      '<p class="detail"><b data-field="percent">' + e(pct.toFixed(1)) + '%</b> · L2 block ' + e(n(s.l2Latest)) + ' of ' +
      e(n(s.l2PendingOnL1)) + ' on L1' + et + rate + ws + ' · L1 lag ' +
      '<b data-field="l1-lag">' + e(s.l1Lag === null ? '—' : n(s.l1Lag)) + '</b> blocks</p>' + err + notReady;
  }

  function peers(v) {
    const p = v.peers;
    const title = '<h2>Peers <span class="count">' + e(p.enabled ? n(p.count) : 'off') + '</span></h2>';
    if (!p.enabled) return title + '<p class="empty">P2P is off on this node (P2P_ENABLED).</p>';
    if (p.list.length === 0) return title + '<p class="empty">No peer connected.</p>';
    const rows = p.list.map(r =>
      '<tr><td class="mono" title="' + e(r.id) + '">' + e(short(r.id, 6)) + '</td>' +
      '<td class="mono">' + e(r.address ?? '—') + '</td><td>' + e(r.nodeVersion ?? '—') + '</td>' +
      '<td class="num">' + e(n(r.latestBlock)) + '</td><td class="num">' + e(r.score.toFixed(1)) + '</td></tr>').join('');
    const more = p.count > p.list.length ? '<p class="note">and ' + e(n(p.count - p.list.length)) + ' more</p>' : '';
    return title + '<table><thead><tr><th>Peer</th><th>Address</th><th>Version</th><th class="num" title="The latest block the peer reported when it connected">Block</th>' +
      '<th class="num">Score</th></tr></thead><tbody>' + rows + '</tbody></table>' + more;
  }

  const worst = duties => OUTCOMES.find(o => duties.some(d => d.outcome === o));

  function strip(x, from, to) {
    const cells = [];
    for (let slot = to; slot >= from; slot--) {
      const duties = x.duties.filter(d => d.slot === slot);
      const o = worst(duties);
      const tip = 'slot ' + slot + ': ' + (duties.length === 0 ? 'no duty' : duties.map(d => d.duty + ' ' + TEXT[d.outcome]).join(', '));
      cells.push('<i class="cell ' + (o ?? 'none') + '" title="' + e(tip) + '"></i>');
    }
    return '<div class="strip">' + cells.join('') + '</div>';
  }

  function validators(v) {
    const vs = v.validators;
    const title = '<h2>Validators <span class="count">' + e(n(vs.list.length)) + '</span></h2>';
    if (vs.list.length === 0 || vs.fromSlot === null || vs.toSlot === null) {
      return title + '<p class="empty">No validator key on this node.</p>';
    }
    const from = vs.fromSlot, to = vs.toSlot;
    const rows = vs.list.map(x => {
      const stats = x.stats === null ? '' : '<div class="stats">' +
        Object.entries(x.stats).map(([k, val]) => '<span>' + e(k) + ' <b>' + e(val) + '</b></span>').join('') + '</div>';
      return '<div class="validator"><div class="who"><span class="mono" title="' + e(x.address) + '">' + e(short(x.address)) + '</span>' +
        '<span class="totals">proposed <b>' + e(n(x.totals.proposed)) + '</b> · attested <b>' + e(n(x.totals.attested)) + '</b>' +
        ' · landed <b>' + e(n(x.totals.landed)) + '</b> · missed <b class="' + (x.totals.missed > 0 ? 'badtext' : '') + '">' +
        e(n(x.totals.missed)) + '</b></span></div>' + strip(x, from, to) + stats + '</div>';
    }).join('');
    const recent = vs.list.flatMap(x => x.duties.map(d => ({ ...d, address: x.address })))
      .sort((a, b) => b.slot - a.slot || a.address.localeCompare(b.address)).slice(0, 8)
      .map(d => '<tr><td class="num">' + e(n(d.slot)) + '</td><td class="mono" title="' + e(d.address) + '">' + e(short(d.address)) + '</td>' +
        '<td>' + e(d.duty) + '</td><td>' + (d.signed ? 'yes' : 'no') + '</td>' +
        '<td><span class="tag ' + e(d.outcome) + '">' + e(TEXT[d.outcome]) + '</span></td></tr>').join('');
    const table = recent === '' ? '<p class="empty">No duty in these slots.</p>'
      : '<table><thead><tr><th class="num">Slot</th><th>Validator</th><th>Duty</th><th>Signed</th><th>Result</th></tr>' +
        '</thead><tbody>' + recent + '</tbody></table>';
    const legend = OUTCOMES.map(o => '<span><i class="cell ' + o + '"></i>' + e(TEXT[o]) + '</span>').join('');
    const source = vs.source === 'local' ? "from this node's own signatures and the L1 chain"
      : "from this node's signatures, the L1 chain and the sentinel";
    return title + '<p class="note">Slots ' + e(n(to)) + ' (left) to ' + e(n(from)) + ', ' + e(source) + '.</p>' + rows +
      '<div class="legend">' + legend + '</div><h3>Recent duties</h3>' + table;
  }

  const SECTIONS = { state, overview, sync, peers, validators };
  const live = document.getElementById('live');
  let lastOk = Date.now();

  function apply(v) {
    for (const [id, render] of Object.entries(SECTIONS)) {
      const el = document.getElementById(id);
      const html = render(v);
      if (el && el.innerHTML !== html) el.innerHTML = html;
    }
    document.title = 'aztec node · L2 block ' + n(v.sync.l2Latest);
    document.body.dataset.refreshed = String((Number(document.body.dataset.refreshed) || 0) + 1);
  }

  function showLive(ok) {
    if (ok) lastOk = Date.now();
    const ago = Math.round((Date.now() - lastOk) / 1000);
    live.className = 'live ' + (ok || ago < 10 ? 'on' : 'stale');
    live.textContent = ok ? 'live · every ' + REFRESH_MS / 1000 + ' s' : 'no answer for ' + ago + ' s';
  }

  async function tick() {
    try {
      const res = await fetch(PATH, { cache: 'no-store' });
      if (!res.ok) throw new Error(String(res.status));
      apply(await res.json());
      showLive(true);
    } catch {
      showLive(false);
    } finally {
      setTimeout(tick, REFRESH_MS);
    }
  }

  window.__statusRender = apply;
  showLive(true);
  setTimeout(tick, REFRESH_MS);
})();
`;
