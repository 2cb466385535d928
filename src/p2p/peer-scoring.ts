import { createLogger } from '../foundation/log/index.js';
import { OFFENSE_OF, type P2PValidationCode, type PeerOffense } from './errors.js';

/** Settings of `PeerScoring`. */
export interface PeerScoringOptions {
  /** Score at or below which a peer is disconnected and banned (default -100). */
  banThreshold?: number;
  /** How long a ban lasts (default 10 minutes). */
  banDurationMs?: number;
  /** Time for a score to decay halfway back to 0 (default 10 minutes). */
  halfLifeMs?: number;
  /** The clock (tests inject one). */
  now?: () => number;
}

/** Score lost per offense. */
export const PENALTIES: Record<PeerOffense, number> = { low: 2, mid: 12, high: 60 };

interface Entry {
  score: number;
  at: number;
}

const log = createLogger('p2p').child('scoring');

/**
 * Application-level peer scores: every refused message or request costs the sender a penalty (by its
 * `P2PValidationCode`); scores decay back towards 0 over time; a peer whose score falls to `banThreshold` is
 * reported as to be banned, and stays banned for `banDurationMs`.
 */
export class PeerScoring {
  private readonly scores = new Map<string, Entry>();
  private readonly bans = new Map<string, number>();
  private readonly banThreshold: number;
  private readonly banDurationMs: number;
  private readonly halfLifeMs: number;
  private readonly now: () => number;

  constructor(opts: PeerScoringOptions = {}) {
    this.banThreshold = opts.banThreshold ?? -100;
    this.banDurationMs = opts.banDurationMs ?? 10 * 60_000;
    this.halfLifeMs = opts.halfLifeMs ?? 10 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** The current score of `peer` (0 for an unknown peer). */
  getScore(peer: string): number {
    const e = this.scores.get(peer);
    if (!e) return 0;
    return e.score * Math.pow(0.5, (this.now() - e.at) / this.halfLifeMs);
  }

  /** Lowers the score of `peer` for `code`; returns true when the peer just crossed the ban threshold. */
  penalize(peer: string, code: P2PValidationCode): boolean {
    const score = this.getScore(peer) - PENALTIES[OFFENSE_OF[code]];
    this.scores.set(peer, { score, at: this.now() });
    log.debug('Penalized peer', { peer, code, score });
    if (score > this.banThreshold || this.isBanned(peer)) return false;
    this.bans.set(peer, this.now() + this.banDurationMs);
    log.info('Banning peer', { peer, code, score, banDurationMs: this.banDurationMs });
    return true;
  }

  /** Whether `peer` is banned now. */
  isBanned(peer: string): boolean {
    const until = this.bans.get(peer);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.bans.delete(peer);
    this.scores.delete(peer);
    return false;
  }
}
