import { describe, expect, it } from 'vitest';

import { decodeSiblingPath, encodeSiblingPath } from './sibling-path.js';

describe('sibling path wire format', () => {
  it('is 1244 base64 characters for the archive tree (29 nodes)', () => {
    const path = Array.from({ length: 29 }, (_, i) => Buffer.alloc(32, i));
    const wire = encodeSiblingPath(path);
    expect(wire).toHaveLength(1244);
    expect(Buffer.from(wire, 'base64').readUInt32BE(0)).toBe(29);
    expect(decodeSiblingPath(wire)).toEqual(path);
  });

  it('rejects malformed input', () => {
    expect(() => decodeSiblingPath('')).toThrow(/too short/);
    expect(() => decodeSiblingPath(Buffer.from([0, 0, 0, 2, 1]).toString('base64'))).toThrow(/must be 68 bytes/);
    expect(() => encodeSiblingPath([Buffer.alloc(31)])).toThrow(/31 bytes/);
  });
});
