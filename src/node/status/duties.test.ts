import type { Address, Hex } from 'viem';
import { describe, expect, it } from 'vitest';

import type { Fr } from '../../types/index.js';
import type { SigningKind } from '../../validator/slashing-protection.js';
import { chainDigestsBySlot, localValidators, type LocalDutySources } from './duties.js';

const A: Address = '0x00000000000000000000000000000000000000aa';
const B: Address = '0x00000000000000000000000000000000000000bb';
const d = (n: number): Hex => `0x${n.toString(16).padStart(64, '0')}`;

function sources(over: Partial<LocalDutySources> & { records?: { kind: SigningKind; slot: bigint; digest: Hex }[] }) {
  const records = over.records ?? [];
  return {
    attesters: [A],
    signed: (_signer: Address, from: bigint, to: bigint) => records.filter(r => r.slot >= from && r.slot <= to),
    blockDigests: () => new Map<bigint, Hex>(),
    roles: () => Promise.resolve({ proposer: B, committee: [A, B] }),
    currentSlot: () => 20n,
    ...over,
  } satisfies LocalDutySources;
}

describe('localValidators', () => {
  it("reads each slot's duty against what was signed and what landed on L1", async () => {
    const onL1 = new Map<bigint, Hex>([
      [10n, d(10)], // our proposal landed
      [11n, d(111)], // we attested d(11), another block landed
      [12n, d(12)], // a block we were to attest landed, we did not sign
    ]);
    const view = await localValidators(
      sources({
        records: [
          { kind: 'block', slot: 10n, digest: d(10) },
          { kind: 'attestation', slot: 11n, digest: d(11) },
          { kind: 'attestation', slot: 13n, digest: d(13) }, // signed, nothing landed
          { kind: 'attestation', slot: 20n, digest: d(20) }, // current slot: pending
        ],
        blockDigests: () => onL1,
        roles: s => Promise.resolve({ proposer: s === 10n || s === 14n ? A : B, committee: [A, B] }),
      }),
    );
    expect(view).toMatchObject({ source: 'local', fromSlot: 5, toSlot: 20 });
    const duties = view.list[0]!.duties;
    const at = (slot: number) => duties.filter(x => x.slot === slot).map(x => [x.duty, x.signed, x.outcome]);
    expect(at(10)).toEqual([['propose', true, 'landed']]);
    expect(at(11)).toEqual([['attest', true, 'other-block']]);
    expect(at(12)).toEqual([['attest', false, 'missed']]);
    expect(at(13)).toEqual([['attest', true, 'not-on-l1']]);
    expect(at(14)).toEqual([['propose', false, 'missed']]); // ours to propose, nothing signed
    expect(at(15)).toEqual([['attest', false, 'no-block']]);
    expect(at(20)).toEqual([['attest', true, 'pending']]);
    expect(at(19)).toEqual([['attest', false, 'pending']]);
    expect(duties[0]!.slot).toBe(20); // newest first
    expect(view.list[0]!.totals).toEqual({ proposed: 1, attested: 3, landed: 1, missed: 2 });
    expect(view.list[0]!.stats).toBeNull();
  });

  it('lists no duty outside the committee, keeps signed ones when L1 cannot tell the roles, and handles none', async () => {
    const outside = await localValidators(sources({ roles: () => Promise.resolve({ proposer: B, committee: [B] }) }));
    expect(outside.list[0]!.duties).toEqual([]);
    let asked = 0;
    const unknown = await localValidators(
      sources({
        records: [{ kind: 'attestation', slot: 7n, digest: d(7) }],
        roles: () => {
          asked++;
          return Promise.reject(new Error('L1 down'));
        },
      }),
    );
    expect(unknown.list[0]!.duties).toEqual([{ slot: 7, duty: 'attest', signed: true, outcome: 'not-on-l1' }]);
    expect(asked).toBe(1); // one failed read, not one per slot
    expect(await localValidators(sources({ attesters: [] }))).toEqual({
      source: 'local',
      fromSlot: null,
      toSlot: null,
      list: [],
    });
    const early = await localValidators(sources({ currentSlot: () => 3n }));
    expect([early.fromSlot, early.toSlot]).toEqual([0, 3]);
  });
});

describe('chainDigestsBySlot', () => {
  it('walks down from the latest block and stops below the window', () => {
    const slots = [0n, 2n, 3n, 5n, 9n]; // block n is in slots[n]; block 0 is genesis
    const reads: bigint[] = [];
    const chain = {
      getLatestBlockNumber: () => 4n,
      getBlockHeader: (n: bigint) => {
        reads.push(n);
        return { globalVariables: { slotNumber: slots[Number(n)]! } };
      },
      getBlockHash: (n: bigint) => n as Fr,
      getArchiveRoot: (n: bigint) => (n * 100n) as Fr,
    };
    const out = chainDigestsBySlot(chain, (h, a) => d(Number(h + a)), 3n, 5n);
    expect([...out]).toEqual([
      [5n, d(303)],
      [3n, d(202)],
    ]);
    expect(reads).toEqual([4n, 3n, 2n, 1n]);
  });
});
