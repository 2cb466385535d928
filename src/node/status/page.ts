import { escapeHtml as e, formatNumber, short } from './format.js';
import { PAGE_SCRIPT, STATUS_JSON_PATH } from './page-script.js';
import { renderSections } from './sections.js';
import type { StatusView } from './view.js';

/** Seconds between reloads of the page with JavaScript off (`<noscript>` refresh). */
const NOSCRIPT_REFRESH_S = 10;

const STYLE = `
:root{--bg:#f4f6f8;--panel:#fff;--ink:#16202a;--muted:#5b6b7b;--line:#dde3ea;--top:#0f1720;--ok:#16a34a;--warn:#d97706;
--bad:#dc2626;--idle:#94a3b8;--faint:#e8edf2;--accent:#2563eb}
@media (prefers-color-scheme:dark){:root{--bg:#0b1117;--panel:#121a23;--ink:#e6edf3;--muted:#8b9bab;--line:#223041;
--top:#070b10;--faint:#1b2632}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:12px 18px;padding:12px 24px;background:var(--top);color:#e6edf3}
.brand{font-weight:700;font-size:16px;letter-spacing:.02em}
.meta{color:#9fb0c0;font-size:12.5px;flex:1}
.meta .mono{color:#cbd5e1}
.live{font-size:12px;color:#9fb0c0;display:flex;align-items:center;gap:6px}
.live::before{content:"";width:8px;height:8px;border-radius:50%;background:var(--idle)}
.live.on::before{background:var(--ok);box-shadow:0 0 0 3px rgba(22,163,74,.25)}
.live.stale{color:#fbbf24}.live.stale::before{background:var(--warn)}
main{max-width:1180px;margin:0 auto;padding:20px 24px 8px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin-bottom:16px}
.card,.panel{background:var(--panel);border:1px solid var(--line);border-radius:10px}
.card{padding:12px 14px}
.label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.06em}
.value{font-size:26px;font-weight:650;font-variant-numeric:tabular-nums;margin:2px 0}
.sub{color:var(--muted);font-size:12.5px}
.panel{padding:14px 16px;margin-bottom:16px;overflow-x:auto}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:0 16px}
h2{font-size:15px;margin:0 0 10px;display:flex;align-items:center;gap:8px}
h3{font-size:13px;margin:14px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.06em}
.count{background:var(--faint);border-radius:10px;padding:0 8px;font-size:12px;color:var(--muted)}
.pill{display:inline-block;border-radius:999px;padding:2px 10px;font-size:12px;font-weight:600;color:#fff}
.pill.ok{background:var(--ok)}.pill.warn{background:var(--warn)}.pill.bad{background:var(--bad)}
.bar{height:10px;background:var(--faint);border-radius:6px;overflow:hidden}
.bar>div{height:100%;background:linear-gradient(90deg,var(--accent),#38bdf8);transition:width .6s}
.detail{margin:8px 0 0;color:var(--muted)}.detail b{color:var(--ink)}
.error{color:var(--bad);margin:8px 0 0}
.reasons{margin:8px 0 0;padding-left:18px;color:var(--warn)}
table{border-collapse:collapse;width:100%;font-size:13px}
th{text-align:left;color:var(--muted);font-weight:600;font-size:12px;border-bottom:1px solid var(--line);padding:6px;white-space:nowrap}
td{border-bottom:1px solid var(--line);padding:6px;white-space:nowrap}
tr:last-child td{border-bottom:0}
.num{text-align:right;font-variant-numeric:tabular-nums}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.empty,.note{color:var(--muted);margin:4px 0}
.validator{padding:8px 0;border-bottom:1px dashed var(--line)}
.who{display:flex;justify-content:space-between;gap:12px;flex-wrap:wrap;margin-bottom:6px}
.totals{color:var(--muted);font-size:12.5px}.totals b{color:var(--ink)}.totals b.badtext{color:var(--bad)}
.strip{display:flex;gap:3px}
.cell{display:inline-block;width:18px;height:18px;border-radius:4px;background:var(--faint)}
.cell.landed{background:var(--ok)}.cell.missed{background:var(--bad)}.cell.pending{background:var(--idle)}
.cell.not-on-l1,.cell.other-block{background:var(--warn)}
.cell.no-block{background:repeating-linear-gradient(45deg,var(--faint) 0 3px,var(--idle) 3px 5px)}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;margin-top:10px;color:var(--muted);font-size:12px}
.legend span{display:flex;align-items:center;gap:5px}.legend .cell{width:12px;height:12px}
.tag{border-radius:4px;padding:1px 6px;font-size:12px;background:var(--faint)}
.tag.landed{color:var(--ok)}.tag.missed{color:var(--bad)}.tag.not-on-l1,.tag.other-block{color:var(--warn)}
.stats{display:flex;flex-wrap:wrap;gap:4px 12px;margin-top:6px;font-size:12.5px;color:var(--muted)}
.stats b{color:var(--ink)}
footer{max-width:1180px;margin:0 auto;padding:4px 24px 24px;color:var(--muted);font-size:12.5px}
a{color:var(--accent)}
`;

/**
 * The status page at `GET /`: complete without JavaScript (rendered from `view` on the server), then kept current by
 * its inline script from `GET /status-page.json`. No external asset: style and script are inline.
 */
export function renderStatusPage(v: StatusView): string {
  const s = renderSections(v);
  const section = (id: keyof typeof s, cls: string) => `<section id="${id}" class="${cls}">${s[id]}</section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>aztec node · L2 block ${e(formatNumber(v.sync.l2Latest))}</title>
<noscript><meta http-equiv="refresh" content="${NOSCRIPT_REFRESH_S}"></noscript>
<style>${STYLE}</style></head>
<body>
<header class="top"><span class="brand">aztec node</span><span id="state">${s.state}</span>
<span class="meta">v${e(v.node.version)} · L1 chain ${e(v.node.l1ChainId)} · rollup <span class="mono" title="${e(v.node.rollup)}">${e(short(v.node.rollup))}</span></span>
<span id="live" class="live">as of ${e(new Date(v.takenAtMs).toISOString().slice(11, 19))} UTC</span></header>
<main>
${section('overview', 'cards')}
${section('sync', 'panel')}
<div class="grid2">${section('peers', 'panel')}${section('validators', 'panel')}</div>
</main>
<footer>JSON: <a href="${STATUS_JSON_PATH}">${STATUS_JSON_PATH}</a> · health: <a href="/status">/status</a> · metrics: <a href="/metrics">/metrics</a> · JSON-RPC: POST / (node_*)
<noscript> · JavaScript is off: this page reloads every ${NOSCRIPT_REFRESH_S} s.</noscript></footer>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
