import { escapeHtml as e, formatEta, formatNumber as n, short } from './format.js';
import type { DutyOutcome, DutyRow, StatusView, ValidatorRow } from './view.js';

/**
 * The page's sections as HTML, by element id: the server renders the first paint with these, and the client script
 * (page-script.ts) renders the same markup from `GET /status-page.json` on each refresh. Every value goes through
 * `escapeHtml`. Keep the two in step: test/e2e/status-page.test.ts renders one view both ways and compares them.
 */
export function renderSections(v: StatusView): Record<SectionId, string> {
  return {
    state: stateSection(v),
    overview: overviewSection(v),
    sync: syncSection(v),
    peers: peersSection(v),
    validators: validatorsSection(v),
  };
}

export const SECTION_IDS = ['state', 'overview', 'sync', 'peers', 'validators'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

/** Outcomes from worst to best: a slot's cell takes the worst of its duties. */
export const OUTCOMES: readonly DutyOutcome[] = ['missed', 'not-on-l1', 'other-block', 'pending', 'no-block', 'landed'];

export const OUTCOME_TEXT: Record<DutyOutcome, string> = {
  landed: 'landed on L1',
  'other-block': 'another block landed',
  'not-on-l1': 'signed, not on L1',
  missed: 'missed',
  'no-block': 'no block',
  pending: 'pending',
};

function stateSection(v: StatusView): string {
  const s = v.sync;
  const [cls, text] = !v.node.ready
    ? s.syncing
      ? ['warn', `Syncing ${s.percent.toFixed(1)}%`]
      : ['bad', 'Not ready']
    : s.syncing
      ? ['warn', `Syncing ${s.percent.toFixed(1)}%`]
      : ['ok', 'Synced'];
  const why = v.node.notReady.length > 0 ? ` title="${e(v.node.notReady.join('\n'))}"` : '';
  return `<span class="pill ${cls}" data-field="state"${why}>${e(text)}</span>`;
}

function card(label: string, field: string, value: string, sub: string): string {
  return (
    `<div class="card"><div class="label">${e(label)}</div>` +
    `<div class="value" data-field="${e(field)}">${e(value)}</div><div class="sub">${sub}</div></div>`
  );
}

function overviewSection(v: StatusView): string {
  const s = v.sync;
  const lag = s.l1Lag === null ? '—' : `${n(s.l1Lag)} behind`;
  const vals = v.validators.list;
  const missed = vals.reduce((m, x) => m + x.totals.missed, 0);
  const landed = vals.reduce((m, x) => m + x.totals.landed, 0);
  return (
    card('L2 block', 'l2-latest', n(s.l2Latest), `proven ${e(n(s.l2Proven))} · finalized ${e(n(s.l2Finalized))}`) +
    card('L1 block', 'l1-head', n(s.l1Head), `archiver at ${e(n(s.archiverL1Block))} · ${e(lag)}`) +
    card('Slot', 'slot', v.slot ? n(v.slot.slot) : '—', `epoch ${e(v.slot ? n(v.slot.epoch) : '—')}`) +
    card(
      'Peers',
      'peer-count',
      v.peers.enabled ? n(v.peers.count) : 'off',
      v.peers.enabled ? 'connected' : 'P2P_ENABLED is off',
    ) +
    card(
      'Validators',
      'validator-count',
      n(vals.length),
      vals.length === 0 ? 'none on this node' : `${e(n(landed))} landed · ${e(n(missed))} missed`,
    )
  );
}

function syncSection(v: StatusView): string {
  const s = v.sync;
  const pct = Math.max(0, Math.min(100, s.percent));
  const head = s.paused
    ? `<span class="pill warn">Paused</span>`
    : s.syncing
      ? `<span class="pill warn">Syncing</span>`
      : `<span class="pill ok">In sync</span>`;
  const rate = !s.syncing || s.blocksPerSecond === null ? '' : ` · ${e(s.blocksPerSecond.toFixed(1))} blocks/s`;
  const eta = s.syncing ? ` · ETA <b data-field="eta">${e(formatEta(s.etaSeconds))}</b>` : '';
  const ws = s.worldStateBlock === null ? '' : ` · world state at ${e(n(s.worldStateBlock))}`;
  const err = s.error === null ? '' : `<p class="error">L1 sync failing: ${e(s.error)}</p>`;
  const notReady =
    v.node.notReady.length === 0
      ? ''
      : `<ul class="reasons">${v.node.notReady.map(r => `<li>${e(r)}</li>`).join('')}</ul>`;
  return (
    `<h2>Sync ${head}</h2>` +
    `<div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${e(pct.toFixed(1))}">` +
    `<div style="width:${e(pct.toFixed(2))}%"></div></div>` +
    `<p class="detail"><b data-field="percent">${e(pct.toFixed(1))}%</b> · L2 block ${e(n(s.l2Latest))} of ` +
    `${e(n(s.l2PendingOnL1))} on L1${eta}${rate}${ws} · L1 lag ` +
    `<b data-field="l1-lag">${e(s.l1Lag === null ? '—' : n(s.l1Lag))}</b> blocks</p>` +
    err +
    notReady
  );
}

function peersSection(v: StatusView): string {
  const p = v.peers;
  const title = `<h2>Peers <span class="count">${e(p.enabled ? n(p.count) : 'off')}</span></h2>`;
  if (!p.enabled) return `${title}<p class="empty">P2P is off on this node (P2P_ENABLED).</p>`;
  if (p.list.length === 0) return `${title}<p class="empty">No peer connected.</p>`;
  const rows = p.list
    .map(
      r =>
        `<tr><td class="mono" title="${e(r.id)}">${e(short(r.id, 6))}</td>` +
        `<td class="mono">${e(r.address ?? '—')}</td><td>${e(r.nodeVersion ?? '—')}</td>` +
        `<td class="num">${e(n(r.latestBlock))}</td><td class="num">${e(r.score.toFixed(1))}</td></tr>`,
    )
    .join('');
  const more = p.count > p.list.length ? `<p class="note">and ${e(n(p.count - p.list.length))} more</p>` : '';
  return (
    `${title}<table><thead><tr><th>Peer</th><th>Address</th><th>Version</th><th class="num" title="The latest block the peer reported when it connected">Block</th>` +
    `<th class="num">Score</th></tr></thead><tbody>${rows}</tbody></table>${more}`
  );
}

function worst(duties: readonly DutyRow[]): DutyOutcome | undefined {
  return OUTCOMES.find(o => duties.some(d => d.outcome === o));
}

function strip(x: ValidatorRow, from: number, to: number): string {
  const cells: string[] = [];
  for (let slot = to; slot >= from; slot--) {
    const duties = x.duties.filter(d => d.slot === slot);
    const o = worst(duties);
    const tip = `slot ${slot}: ${duties.length === 0 ? 'no duty' : duties.map(d => `${d.duty} ${OUTCOME_TEXT[d.outcome]}`).join(', ')}`;
    cells.push(`<i class="cell ${o ?? 'none'}" title="${e(tip)}"></i>`);
  }
  return `<div class="strip">${cells.join('')}</div>`;
}

function validatorsSection(v: StatusView): string {
  const vs = v.validators;
  const title = `<h2>Validators <span class="count">${e(n(vs.list.length))}</span></h2>`;
  if (vs.list.length === 0 || vs.fromSlot === null || vs.toSlot === null) {
    return `${title}<p class="empty">No validator key on this node.</p>`;
  }
  const from = vs.fromSlot;
  const to = vs.toSlot;
  const rows = vs.list
    .map(x => {
      const stats =
        x.stats === null
          ? ''
          : `<div class="stats">${Object.entries(x.stats)
              .map(([k, val]) => `<span>${e(k)} <b>${e(val)}</b></span>`)
              .join('')}</div>`;
      return (
        `<div class="validator"><div class="who"><span class="mono" title="${e(x.address)}">${e(short(x.address))}</span>` +
        `<span class="totals">proposed <b>${e(n(x.totals.proposed))}</b> · attested <b>${e(n(x.totals.attested))}</b>` +
        ` · landed <b>${e(n(x.totals.landed))}</b> · missed <b class="${x.totals.missed > 0 ? 'badtext' : ''}">` +
        `${e(n(x.totals.missed))}</b></span></div>${strip(x, from, to)}${stats}</div>`
      );
    })
    .join('');
  const recent = vs.list
    .flatMap(x => x.duties.map(d => ({ ...d, address: x.address })))
    .sort((a, b) => b.slot - a.slot || a.address.localeCompare(b.address))
    .slice(0, 8)
    .map(
      d =>
        `<tr><td class="num">${e(n(d.slot))}</td><td class="mono" title="${e(d.address)}">${e(short(d.address))}</td>` +
        `<td>${e(d.duty)}</td><td>${d.signed ? 'yes' : 'no'}</td>` +
        `<td><span class="tag ${e(d.outcome)}">${e(OUTCOME_TEXT[d.outcome])}</span></td></tr>`,
    )
    .join('');
  const table =
    recent === ''
      ? `<p class="empty">No duty in these slots.</p>`
      : `<table><thead><tr><th class="num">Slot</th><th>Validator</th><th>Duty</th><th>Signed</th><th>Result</th></tr>` +
        `</thead><tbody>${recent}</tbody></table>`;
  const legend = OUTCOMES.map(o => `<span><i class="cell ${o}"></i>${e(OUTCOME_TEXT[o])}</span>`).join('');
  const source =
    vs.source === 'local'
      ? "from this node's own signatures and the L1 chain"
      : "from this node's signatures, the L1 chain and the sentinel";
  return (
    `${title}<p class="note">Slots ${e(n(to))} (left) to ${e(n(from))}, ${e(source)}.</p>${rows}` +
    `<div class="legend">${legend}</div><h3>Recent duties</h3>${table}`
  );
}
