import { describe, expect, it } from 'vitest';

import { levelFor, parseLevelSpec } from './levels.js';

describe('parseLevelSpec', () => {
  it('takes a default level and per-module overrides', () => {
    expect(parseLevelSpec('warn;debug:archiver,sequencer;error:p2p')).toEqual({
      defaultLevel: 'warn',
      overrides: [
        ['archiver', 'debug'],
        ['sequencer', 'debug'],
        ['p2p', 'error'],
      ],
    });
    expect(() => parseLevelSpec('loud:p2p')).toThrow(/Invalid log level "loud"/);
  });

  it('keeps the colons of a child module name, so the override does not widen to its parent', () => {
    const spec = parseLevelSpec('warn;info:p2p:scoring');
    expect(spec.overrides).toEqual([['p2p:scoring', 'info']]);
    expect(levelFor('p2p:scoring', spec)).toBe('info');
    expect(levelFor('p2p', spec)).toBe('warn');
    expect(levelFor('p2p:gossip', spec)).toBe('warn');
  });
});
