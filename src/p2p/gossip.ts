import { TopicValidatorResult } from '@libp2p/gossipsub';

import { createLogger, type Logger } from '../foundation/log/index.js';
import type { P2PValidationCode } from './errors.js';
import type { P2PLibp2p } from './libp2p-node.js';
import type { PeerScoring } from './peer-scoring.js';

/** What a topic validator decides about a message, before it is delivered or forwarded. */
export type ValidationOutcome =
  | { result: 'accept' }
  | { result: 'ignore'; reason?: string }
  | { result: 'reject'; code: P2PValidationCode; reason: string };

/**
 * Checks a message received on a topic. `accept` delivers and forwards it; `ignore` drops it quietly; `reject` drops
 * it and penalizes the peer that sent it with `code`. `from` is the peer id of the sender (the hop, not the origin).
 */
export type TopicValidator = (data: Uint8Array, from: string) => Promise<ValidationOutcome>;

/** Receives the messages of a topic that passed validation. */
export type TopicHandler = (data: Uint8Array, from: string) => void | Promise<void>;

/**
 * Gossip on top of gossipsub: per-topic validators run before a message is forwarded; a rejected message costs its
 * sender score, and a sender that falls below the ban threshold is disconnected (the connection gater keeps it out).
 */
export class Gossip {
  private readonly handlers = new Map<string, TopicHandler>();
  private readonly log: Logger = createLogger('p2p').child('gossip');

  constructor(
    private readonly node: P2PLibp2p,
    private readonly scoring: PeerScoring,
  ) {
    node.services.pubsub.addEventListener('message', evt => {
      const msg = evt.detail;
      const handler = this.handlers.get(msg.topic);
      if (!handler) return;
      const from = msg.type === 'signed' ? msg.from.toString() : 'unknown';
      Promise.resolve(handler(msg.data, from)).catch((err: unknown) =>
        this.log.warn('Topic handler failed', { topic: msg.topic, err }),
      );
    });
  }

  /** Subscribes to `topic`, validating each message with `validator` and passing the valid ones to `handler`. */
  subscribe(topic: string, validator: TopicValidator, handler?: TopicHandler): void {
    const pubsub = this.node.services.pubsub;
    pubsub.topicValidators.set(topic, async (peer, msg) => {
      const from = peer.toString();
      let outcome: ValidationOutcome;
      try {
        outcome = await validator(msg.data, from);
      } catch (err) {
        this.log.warn('Topic validator failed; ignoring the message', { topic, err });
        return TopicValidatorResult.Ignore;
      }
      if (outcome.result === 'accept') return TopicValidatorResult.Accept;
      if (outcome.result === 'ignore') return TopicValidatorResult.Ignore;
      this.log.debug('Rejected gossip message', { topic, peer: from, code: outcome.code, reason: outcome.reason });
      this.penalize(peer, outcome.code);
      return TopicValidatorResult.Reject;
    });
    if (handler) this.handlers.set(topic, handler);
    pubsub.subscribe(topic);
  }

  /** Publishes `data` on `topic`; returns the number of peers it was sent to. */
  async publish(topic: string, data: Uint8Array): Promise<number> {
    const { recipients } = await this.node.services.pubsub.publish(topic, data);
    return recipients.length;
  }

  /** The peers subscribed to `topic`. */
  subscribers(topic: string): string[] {
    return this.node.services.pubsub.getSubscribers(topic).map(p => p.toString());
  }

  /** Lowers `peer`'s score for `code`; disconnects it when that bans it. */
  penalize(peer: Parameters<P2PLibp2p['hangUp']>[0], code: P2PValidationCode): void {
    if (!this.scoring.penalize(peer.toString(), code)) return;
    this.node.hangUp(peer).catch((err: unknown) => this.log.debug('Hang up failed', { peer: peer.toString(), err }));
  }
}
