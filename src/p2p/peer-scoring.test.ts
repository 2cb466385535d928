import { describe, expect, it } from 'vitest';

import { PeerScoring } from './peer-scoring.js';
import { RateLimiter } from './rate-limiter.js';

describe('PeerScoring', () => {
  it('bans at the threshold, decays scores and lifts bans after their duration', () => {
    let now = 0;
    const s = new PeerScoring({ banThreshold: -100, banDurationMs: 1000, halfLifeMs: 1000, now: () => now });
    expect(s.penalize('p', 'INVALID_ENCODING')).toBe(false);
    expect(s.getScore('p')).toBe(-60);
    now = 1000;
    expect(s.getScore('p')).toBeCloseTo(-30);
    expect(s.penalize('p', 'INVALID_ENCODING')).toBe(false); // -90: decay saved it
    expect(s.penalize('p', 'STALE_MESSAGE')).toBe(false);
    expect(s.penalize('p', 'INVALID_MESSAGE')).toBe(true);
    expect(s.isBanned('p')).toBe(true);
    expect(s.isBanned('other')).toBe(false);
    now = 2001;
    expect(s.isBanned('p')).toBe(false);
    expect(s.getScore('p')).toBe(0);
  });
});

describe('RateLimiter', () => {
  it('allows `limit` requests per window per peer and refills over time', () => {
    let now = 0;
    const r = new RateLimiter({ limit: 2, windowMs: 1000 }, () => now);
    expect([r.allow('a'), r.allow('a'), r.allow('a'), r.allow('b')]).toEqual([true, true, false, true]);
    now = 500;
    expect([r.allow('a'), r.allow('a')]).toEqual([true, false]);
  });
});
