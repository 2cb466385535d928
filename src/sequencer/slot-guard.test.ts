import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { openKvStore } from '../kv/index.js';
import { DoublePublishError, SlotGuard } from './slot-guard.js';

const A = `0x${'aa'.repeat(32)}` as const;
const B = `0x${'bb'.repeat(32)}` as const;

describe('SlotGuard', () => {
  it('allows one block per slot, again after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slot-guard-'));
    try {
      let store = await openKvStore({ dataDirectory: dir, name: 'node' });
      const guard = new SlotGuard(store);
      guard.claim(5n, A);
      guard.claim(5n, A); // the same block again (a retry) is fine
      guard.claim(6n, B);
      expect(() => guard.claim(5n, B)).toThrow(DoublePublishError);
      await store.close();

      store = await openKvStore({ dataDirectory: dir, name: 'node' });
      const reopened = new SlotGuard(store);
      expect(reopened.published(5n)).toBe(A);
      expect(() => reopened.claim(5n, B)).toThrow(/refusing to publish a second block for slot 5/);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
