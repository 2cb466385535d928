import { TopicValidatorResult } from '@libp2p/gossipsub';

import { createLogger, type Logger } from '../foundation/log/index.js';
import { counter, Registry, type MetricsRegistry } from '../foundation/metrics/index.js';
import { P2PValidationCode } from './errors.js';
import type { P2PLibp2p } from './libp2p-node.js';
import type { PeerScoring } from './peer-scoring.js';

/**
 * What a topic validator decides about a message, before it is delivered or forwarded. An accepting validator may
 * return what it decoded and checked as `value`: the handler receives it, so no message is decoded or validated twice.
 */
export type ValidationOutcome<T = unknown> =
  | { result: 'accept'; value?: T }
  | { result: 'ignore'; reason?: string }
  | { result: 'reject'; code: P2PValidationCode; reason: string };

/**
 * Checks a message received on a topic. `accept` delivers and forwards it; `ignore` drops it quietly; `reject` drops
 * it and penalizes the peer that sent it with `code`. `from` is the peer id of the sender (the hop, not the origin).
 */
export type TopicValidator<T = unknown> = (data: Uint8Array, from: string) => Promise<ValidationOutcome<T>>;

/** Receives the messages of a topic that passed validation, with the validator's `value` for it. */
export type TopicHandler<T = unknown> = (
  data: Uint8Array,
  from: string,
  validated: T | undefined,
) => void | Promise<void>;

/** The topic type of a full topic name (its last segment: `tx`, `block_proposal`, `attestation`): the metric label. */
const topicLabel = (topic: string) => topic.slice(topic.lastIndexOf('/') + 1);

/** What gossip counts, by topic type; rejections also by `P2PValidationCode`. */
class GossipMetrics {
  private readonly receivedBytes;
  private readonly receivedMessages;
  private readonly publishedBytes;
  private readonly publishedMessages;
  private readonly rejected;
  private readonly ignored;
  private readonly penalties;

  constructor(registry: MetricsRegistry) {
    const topic = ['topic'] as const;
    this.receivedBytes = counter(registry, {
      name: 'aztec_p2p_gossip_received_bytes_total',
      help: 'Bytes of gossip messages received from peers, by topic type (each distinct message once, before validation)',
      labelNames: topic,
    });
    this.receivedMessages = counter(registry, {
      name: 'aztec_p2p_gossip_received_messages_total',
      help: 'Gossip messages received from peers, by topic type (each distinct message once, before validation)',
      labelNames: topic,
    });
    this.publishedBytes = counter(registry, {
      name: 'aztec_p2p_gossip_published_bytes_total',
      help: 'Bytes of gossip messages this node published (not forwarded), by topic type',
      labelNames: topic,
    });
    this.publishedMessages = counter(registry, {
      name: 'aztec_p2p_gossip_published_messages_total',
      help: 'Gossip messages this node published (not forwarded), by topic type',
      labelNames: topic,
    });
    this.rejected = counter(registry, {
      name: 'aztec_p2p_gossip_rejected_messages_total',
      help: 'Gossip messages rejected by validation (dropped, sender penalized), by topic type and P2PValidationCode',
      labelNames: ['topic', 'code'] as const,
    });
    this.ignored = counter(registry, {
      name: 'aztec_p2p_gossip_ignored_messages_total',
      help: 'Gossip messages dropped without penalty (not valid now, or the validator failed), by topic type',
      labelNames: topic,
    });
    this.penalties = counter(registry, {
      name: 'aztec_p2p_peer_penalties_total',
      help: 'Score penalties given to peers (gossip and req/resp), by P2PValidationCode',
      labelNames: ['code'] as const,
    });
  }

  /** Makes a topic's series appear at 0 before its first message. */
  addTopic(topic: string): void {
    const labels = { topic: topicLabel(topic) };
    for (const c of [this.receivedBytes, this.receivedMessages, this.publishedBytes, this.publishedMessages]) {
      c.inc(labels, 0);
    }
    this.ignored.inc(labels, 0);
    for (const code of Object.values(P2PValidationCode)) this.rejected.inc({ ...labels, code }, 0);
  }

  received(topic: string, bytes: number): void {
    this.receivedBytes.inc({ topic: topicLabel(topic) }, bytes);
    this.receivedMessages.inc({ topic: topicLabel(topic) });
  }

  published(topic: string, bytes: number): void {
    this.publishedBytes.inc({ topic: topicLabel(topic) }, bytes);
    this.publishedMessages.inc({ topic: topicLabel(topic) });
  }

  rejectedWith(topic: string, code: P2PValidationCode): void {
    this.rejected.inc({ topic: topicLabel(topic), code });
  }

  ignoredOn(topic: string): void {
    this.ignored.inc({ topic: topicLabel(topic) });
  }

  penalized(code: P2PValidationCode): void {
    this.penalties.inc({ code });
  }
}

/**
 * Gossip on top of gossipsub: per-topic validators run before a message is forwarded; a rejected message costs its
 * sender score, and a sender that falls below the ban threshold is disconnected (the connection gater keeps it out).
 */
export class Gossip {
  private readonly handlers = new Map<string, TopicHandler>();
  /** What each accepted message's validator returned, until its handler runs (gossipsub hands both the same object). */
  private readonly validated = new WeakMap<object, unknown>();
  private readonly log: Logger = createLogger('p2p').child('gossip');
  private readonly metrics: GossipMetrics;

  /** `metrics`: where the gossip counters are registered (the node's registry; a private one when absent). */
  constructor(
    private readonly node: P2PLibp2p,
    private readonly scoring: PeerScoring,
    metrics: MetricsRegistry = new Registry(),
  ) {
    this.metrics = new GossipMetrics(metrics);
    node.services.pubsub.addEventListener('message', evt => {
      const msg = evt.detail;
      const handler = this.handlers.get(msg.topic);
      if (!handler) return;
      const from = msg.type === 'signed' ? msg.from.toString() : 'unknown';
      const value = this.validated.get(msg);
      this.validated.delete(msg);
      Promise.resolve(handler(msg.data, from, value)).catch((err: unknown) =>
        this.log.warn('Topic handler failed', { topic: msg.topic, err }),
      );
    });
  }

  /** Subscribes to `topic`, validating each message with `validator` and passing the valid ones to `handler`. */
  subscribe<T>(topic: string, validator: TopicValidator<T>, handler?: TopicHandler<T>): void {
    const pubsub = this.node.services.pubsub;
    this.metrics.addTopic(topic);
    pubsub.topicValidators.set(topic, async (peer, msg) => {
      const from = peer.toString();
      this.metrics.received(topic, msg.data.byteLength);
      let outcome: ValidationOutcome;
      try {
        outcome = await validator(msg.data, from);
      } catch (err) {
        this.log.warn('Topic validator failed; ignoring the message', { topic, err });
        this.metrics.ignoredOn(topic);
        return TopicValidatorResult.Ignore;
      }
      if (outcome.result === 'accept') {
        if (outcome.value !== undefined) this.validated.set(msg, outcome.value);
        return TopicValidatorResult.Accept;
      }
      if (outcome.result === 'ignore') {
        this.metrics.ignoredOn(topic);
        return TopicValidatorResult.Ignore;
      }
      this.log.debug('Rejected gossip message', { topic, peer: from, code: outcome.code, reason: outcome.reason });
      this.metrics.rejectedWith(topic, outcome.code);
      this.penalize(peer, outcome.code);
      return TopicValidatorResult.Reject;
    });
    if (handler) this.handlers.set(topic, handler as TopicHandler);
    pubsub.subscribe(topic);
  }

  /** Publishes `data` on `topic`; returns the number of peers it was sent to. */
  async publish(topic: string, data: Uint8Array): Promise<number> {
    const { recipients } = await this.node.services.pubsub.publish(topic, data);
    this.metrics.published(topic, data.byteLength);
    return recipients.length;
  }

  /** The peers subscribed to `topic`. */
  subscribers(topic: string): string[] {
    return this.node.services.pubsub.getSubscribers(topic).map(p => p.toString());
  }

  /** Lowers `peer`'s score for `code`; disconnects it when that bans it. */
  penalize(peer: Parameters<P2PLibp2p['hangUp']>[0], code: P2PValidationCode): void {
    this.metrics.penalized(code);
    if (!this.scoring.penalize(peer.toString(), code)) return;
    this.node.hangUp(peer).catch((err: unknown) => this.log.debug('Hang up failed', { peer: peer.toString(), err }));
  }
}
