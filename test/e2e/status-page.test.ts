import { join } from 'node:path';

import { ENR } from '@chainsafe/enr';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { configureLogging } from '../../src/foundation/log/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { nodeApiSchema } from '../../src/node/api/schema.js';
import type { RunningNode } from '../../src/node/aztec-node.js';
import type { AztecConfig } from '../../src/node/config.js';
import { renderStatusPage } from '../../src/node/status/page.js';
import { SECTION_IDS } from '../../src/node/status/sections.js';
import { sampleView } from '../../src/node/status/testing/sample-view.js';
import type { StatusView } from '../../src/node/status/view.js';
import { artifactsDir, browserAvailability, launchChromium } from '../helpers/browser.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

const browser = browserAvailability();

/** The figure shown in `[data-field=<field>]`, as a number (thousands separators dropped). */
const shown = async (page: Page, field: string) =>
  Number(((await page.locator(`[data-field="${field}"]`).textContent()) ?? '').replace(/,/g, ''));

/**
 * The status page at `/` of a running local network's validator node, peered over P2P with a node without duties,
 * in headless Chromium (Debian's chromium through playwright-core): the node's height, its peer and its validator's
 * duties, then the page following the chain by itself; with JavaScript off, the same figures server-rendered. A
 * screenshot is left in the artifacts directory (path printed).
 */
describe.skipIf(!browser.available)('the status page in a browser', () => {
  let network: InProcessNetwork;
  let validator: RunningNode;
  let observer: RunningNode;
  let observerPeerId: string;
  let chromium: Browser;

  const p2p = (port: number, bootstrapNodes: string[]) => (c: AztecConfig) => ({
    ...c,
    p2p: { ...c.p2p, enabled: true, p2pIp: '127.0.0.1', p2pPort: port, listenAddress: '127.0.0.1', bootstrapNodes },
  });
  const enrOf = async (node: RunningNode) =>
    (await createRpcClient(node.rpcUrl, 'node', nodeApiSchema).getEncodedEnr())!;

  beforeAll(async () => {
    configureLogging({ level: 'warn' });
    network = await startInProcessNetwork();
    validator = await network.addNode(
      { node: true, archiver: true, sequencer: true, proverNode: false },
      p2p(await getFreePort(), []),
    );
    const withoutKey = p2p(await getFreePort(), [await enrOf(validator)]);
    observer = await network.addNode({ node: true, archiver: true, sequencer: false, proverNode: false }, c => {
      const p = withoutKey(c);
      return { ...p, validator: { ...p.validator, validatorPrivateKey: undefined } };
    });
    observerPeerId = ENR.decodeTxt(await enrOf(observer)).peerId.toString();
    chromium = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await network?.stop();
  });

  it('shows the height, the peer and the validator, follows a new block by itself, and is saved as a screenshot', async () => {
    const view = async () => (await (await fetch(`${validator.rpcUrl}/status-page.json`)).json()) as StatusView;
    await until('the peer and a block', async () => {
      const v = await view();
      return v.peers.count === 1 && v.sync.l2Latest >= 1;
    });
    const page = await chromium.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${validator.rpcUrl}/`);

    const first = await shown(page, 'l2-latest');
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual(Number(validator.archiver.store.getLatestBlockNumber()));
    expect(await shown(page, 'peer-count')).toBe(1);
    expect(await page.locator(`#peers td[title="${observerPeerId}"]`).count()).toBe(1);
    const attester = (await view()).validators.list[0]!.address;
    expect(await page.locator(`#validators [title="${attester}"]`).count()).toBeGreaterThan(0);

    // A block lands: the page shows it without being reloaded (its script polls /status-page.json).
    await page.waitForFunction(
      `Number(document.querySelector('[data-field="l2-latest"]').textContent.replace(/,/g, '')) > ${first}`,
      undefined,
      { timeout: 60_000, polling: 200 },
    );
    const later = await shown(page, 'l2-latest');
    expect(later).toBeGreaterThan(first);
    expect(BigInt(later)).toBeLessThanOrEqual(validator.archiver.store.getLatestBlockNumber());
    expect(Number(await page.locator('body').getAttribute('data-refreshed'))).toBeGreaterThanOrEqual(1);
    expect(await page.title()).toMatch(/L2 block \d+/);
    // This node's only validator proposes every slot: its block of a recent slot is on L1 and shown as landed.
    await page.waitForSelector('#validators .strip .cell.landed', { timeout: 60_000 });
    expect(await page.locator('#validators td .tag.landed').count()).toBeGreaterThan(0);
    // Synced (the archiver within 3 L1 blocks of the head): on a loaded machine it may lag for a refresh or two.
    await page.waitForFunction(`document.querySelector('[data-field="state"]').textContent === 'Synced'`, undefined, {
      timeout: 30_000,
      polling: 200,
    });

    const screenshot = join(artifactsDir(), 'status-page.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    process.stdout.write(`status page screenshot: ${screenshot}\n`);
    await page.close();
  });

  it('with JavaScript off, the server-rendered page shows the same figures', async () => {
    const context = await chromium.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${validator.rpcUrl}/`);
    const height = await shown(page, 'l2-latest');
    expect(height).toBeGreaterThanOrEqual(1);
    expect(await shown(page, 'peer-count')).toBe(1);
    expect(await page.locator(`#peers td[title="${observerPeerId}"]`).count()).toBe(1);
    await context.close();
  });

  it("the script renders a view exactly as the server does, and neither lets a peer's strings into the markup", async () => {
    const view = (await (await fetch(`${validator.rpcUrl}/status-page.json`)).json()) as StatusView;
    const evil = '<img src=x onerror="window.__pwned=1">';
    const crafted: StatusView = {
      ...view,
      node: { ...view.node, ready: false, notReady: [`p2p: ${evil}`] },
      sync: { ...view.sync, syncing: true, percent: 42.5, etaSeconds: 125, blocksPerSecond: 3.25, error: evil },
      peers: {
        enabled: true,
        count: 12,
        list: [
          {
            id: evil,
            address: `/ip4/1.2.3.4/tcp/1'"><b>`,
            score: -3,
            nodeVersion: '</script><script>window.__pwned=2</script>',
            latestBlock: 1234567,
          },
        ],
      },
      validators: {
        ...view.validators,
        source: 'local+sentinel',
        list: view.validators.list.map(x => ({ ...x, stats: { [evil]: evil, missedProposals: 2 } })),
      },
    };
    const sections = async (page: Page) =>
      Object.fromEntries(
        await Promise.all(SECTION_IDS.map(async id => [id, await page.locator(`#${id}`).innerHTML()] as const)),
      );

    // The server's markup for the crafted view, as the browser parses it (no script runs).
    const off = await chromium.newContext({ javaScriptEnabled: false });
    const serverPage = await off.newPage();
    await serverPage.setContent(renderStatusPage(crafted));
    const server = await sections(serverPage);
    await off.close();

    // The script's markup for the same view, rendered over the page's first paint of the real view.
    const on = await chromium.newPage();
    await on.setContent(renderStatusPage(view));
    await on.evaluate(`window.__statusRender(${JSON.stringify(crafted)})`);
    const client = await sections(on);
    expect(client).toEqual(server);

    for (const page of [on]) {
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.evaluate('window.__pwned')).toBeUndefined();
      expect(await page.locator('#peers td[title]').first().getAttribute('title')).toBe(evil);
      expect(await page.locator('#peers tbody td').nth(2).textContent()).toBe(
        '</script><script>window.__pwned=2</script>',
      );
      expect(await page.textContent('#sync .error')).toBe(`L1 sync failing: ${evil}`);
    }
    expect(server['sync']).toContain('ETA <b data-field="eta">2m 5s</b>');
    await on.close();
  });

  it('a node catching up, drawn from a sample view, is saved as a second screenshot', async () => {
    const sample = sampleView();
    const peerIds = ['16Uiu2HAmQx7', '16Uiu2HAkR2p', '16Uiu2HAm9Zt'].map(p => p + 'a1b2c3d4e5f6g7h8i9j0k1m2n3p4q5r6s7');
    const catchingUp: StatusView = {
      ...sample,
      node: { ...sample.node, notReady: ['archiver: 10 L1 blocks behind the L1 head'] },
      sync: { ...sample.sync, error: null },
      peers: {
        ...sample.peers,
        list: peerIds.map((id, i) => ({
          id,
          address: `/ip4/198.51.100.${10 + i}/tcp/40400`,
          score: 3 - i,
          nodeVersion: '0.1.0',
          latestBlock: 998 + i,
        })),
      },
      validators: { ...sample.validators, list: sample.validators.list.map(v => ({ ...v, stats: null })) },
    };
    const page = await chromium.newPage({ viewport: { width: 1280, height: 900 } });
    await page.setContent(renderStatusPage(catchingUp));
    expect(await page.locator('[data-field="state"]').textContent()).toBe('Syncing 42.5%');
    expect(await page.locator('[data-field="eta"]').textContent()).toBe('2m 5s');
    const screenshot = join(artifactsDir(), 'status-page-syncing.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    process.stdout.write(`status page screenshot (catching up): ${screenshot}\n`);
    await page.close();
  });
});
