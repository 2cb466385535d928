/** Settings of a `RateLimiter`: at most `limit` requests per `windowMs` per peer. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

/**
 * A token bucket per peer: each peer holds up to `limit` tokens, refilled at `limit` per `windowMs`; a request
 * takes one. Idle peers are forgotten so the map stays bounded by the active peers.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for `peer`; false when it has none left. */
  allow(peer: string): boolean {
    const t = this.now();
    const b = this.buckets.get(peer) ?? { tokens: this.rate.limit, at: t };
    const refill = ((t - b.at) / this.rate.windowMs) * this.rate.limit;
    const tokens = Math.min(this.rate.limit, b.tokens + refill);
    if (this.buckets.size > 10_000) this.prune(t);
    if (tokens < 1) {
      this.buckets.set(peer, { tokens, at: t });
      return false;
    }
    this.buckets.set(peer, { tokens: tokens - 1, at: t });
    return true;
  }

  private prune(t: number): void {
    for (const [peer, b] of this.buckets) if (t - b.at > this.rate.windowMs) this.buckets.delete(peer);
  }
}
