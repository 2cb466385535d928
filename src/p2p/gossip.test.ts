import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';

import { P2PValidationCode } from './errors.js';
import type { ValidationOutcome } from './gossip.js';
import { P2PService } from './service.js';
import { testServiceConfig, waitFor } from './testing/index.js';
import { TopicType } from './topics.js';

let services: P2PService[] = [];
afterEach(async () => {
  await Promise.all(services.map(s => s.stop()));
  services = [];
});

/** A started service without a tx pool, its metrics on `metrics`. */
async function startService(metrics: Registry): Promise<P2PService> {
  const service = await P2PService.create(await testServiceConfig(), { metrics });
  services.push(service);
  await service.start();
  return service;
}

/** The value of `name`'s series with exactly `labels` (0 when it has none yet). */
async function valueOf(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const same = (l: Record<string, unknown>) =>
    Object.keys(l).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => l[k] === v);
  return values.find(v => same(v.labels))?.value ?? 0;
}

const meshPeers = (s: P2PService, type: TopicType) =>
  (s.node.services.pubsub as unknown as { getMeshPeers(t: string): string[] }).getMeshPeers(s.topic(type));

describe('gossip metrics', () => {
  it('counts published and received bytes by topic, and a rejected message under its validation code', async () => {
    const sender = new Registry();
    const receiver = new Registry();
    const [a, b] = await Promise.all([startService(sender), startService(receiver)]);
    if (!a || !b) throw new Error('unreachable');
    const reject = (): Promise<ValidationOutcome> =>
      Promise.resolve({ result: 'reject', code: P2PValidationCode.STALE_MESSAGE, reason: 'test: too old' });
    a.subscribe(TopicType.attestation, () => Promise.resolve({ result: 'accept' }));
    b.subscribe(TopicType.attestation, reject);
    await a.dial(b.getMultiaddrs()[0] ?? '');
    await waitFor('the attestation mesh', () => meshPeers(a, TopicType.attestation).includes(b.peerId));

    const rejected = { topic: 'attestation', code: 'STALE_MESSAGE' };
    const name = 'aztec_p2p_gossip_rejected_messages_total';
    // The series exist at 0 from the subscription on.
    expect(await valueOf(receiver, name, rejected)).toBe(0);

    await a.publish(TopicType.attestation, new Uint8Array(100).fill(7));
    await waitFor('the rejection', () => b.scoring.getScore(a.peerId) < 0);

    expect(await valueOf(receiver, name, rejected)).toBe(1);
    expect(await valueOf(receiver, name, { topic: 'attestation', code: 'INVALID_ENCODING' })).toBe(0);
    expect(await valueOf(receiver, 'aztec_p2p_peer_penalties_total', { code: 'STALE_MESSAGE' })).toBe(1);
    expect(await valueOf(receiver, 'aztec_p2p_gossip_received_messages_total', { topic: 'attestation' })).toBe(1);
    expect(await valueOf(receiver, 'aztec_p2p_gossip_received_bytes_total', { topic: 'attestation' })).toBe(100);
    expect(await valueOf(sender, 'aztec_p2p_gossip_published_messages_total', { topic: 'attestation' })).toBe(1);
    expect(await valueOf(sender, 'aztec_p2p_gossip_published_bytes_total', { topic: 'attestation' })).toBe(100);
    expect(await valueOf(sender, 'aztec_p2p_connected_peers')).toBe(1);
    // Served as Prometheus text with HELP lines.
    expect(await receiver.metrics()).toContain(
      '# HELP aztec_p2p_gossip_rejected_messages_total Gossip messages rejected by validation',
    );
  });
});
