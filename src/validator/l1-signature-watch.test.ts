import { encodeFunctionData, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { describe, expect, it } from 'vitest';

import { asSlot } from '../foundation/types/branded.js';
import { RollupAbi } from '../l1/generated/index.js';
import { proposalDigest, signProposalDigest } from '../protocol/proposal-digest.js';
import { frFromHex, frToHex } from '../types/fr.js';
import { encodeHeader, headerHash } from '../types/header-codec.js';
import { randomHeader, TestRandom } from '../types/testing/index.js';
import type { SeenSignature } from './doppelganger.js';
import { L1SignatureWatch, type SyncEvent } from './l1-signature-watch.js';

// The archiver's event stream and the L1 calldata lookup are stand-ins here (a list of listeners, a map of tx
// inputs); the calldata is the Rollup ABI's real `propose` encoding and the signatures are real. The e2e
// (test/e2e/doppelganger.test.ts) runs it on the node's archiver against anvil.

const ROLLUP: Address = '0x00000000000000000000000000000000000a11ce';

describe('L1SignatureWatch', () => {
  it('reports each attester of a new block and its slot proposer, over the proposal digest; skips older slots', async () => {
    const rng = new TestRandom(3);
    const keys = [generatePrivateKey(), generatePrivateKey()];
    const proposer = privateKeyToAddress(generatePrivateKey());
    const listeners: ((e: SyncEvent) => void)[] = [];
    const inputs = new Map<Hex, Hex>();
    const seen: SeenSignature[] = [];
    const watch = new L1SignatureWatch({
      archiver: { subscribe: l => (listeners.push(l), () => listeners.splice(listeners.indexOf(l), 1)) },
      txInput: hash => Promise.resolve(inputs.get(hash)!),
      epochCache: { getProposerAttester: () => Promise.resolve(proposer) },
      l1ChainId: 31337,
      rollup: ROLLUP,
      fromSlot: () => 10n,
      onSignature: s => void seen.push(s),
    });
    watch.start();

    const block = async (slot: bigint, txHash: Hex) => {
      const base = randomHeader(rng, 0);
      const header = { ...base, globalVariables: { ...base.globalVariables, slotNumber: asSlot(slot) } };
      const archive = frToHex(rng.fr());
      const digest = proposalDigest(31337, ROLLUP, frToHex(headerHash(header)), archive);
      const attestations = await Promise.all(keys.map(k => signProposalDigest(digest, k)));
      const headerHex: Hex = `0x${Buffer.from(encodeHeader(header)).toString('hex')}`;
      const blobInput: Hex = `0x01${'02'.repeat(32)}`;
      inputs.set(
        txHash,
        encodeFunctionData({
          abi: RollupAbi,
          functionName: 'propose',
          args: [headerHex, archive, attestations, blobInput],
        }),
      );
      return {
        digest,
        published: {
          block: { header, archive: { root: frFromHex(archive) } },
          headerHash: headerHash(header),
          l1: { l1TxHash: txHash },
        },
      };
    };
    const old = await block(9n, `0x${'01'.repeat(32)}`);
    const fresh = await block(11n, `0x${'02'.repeat(32)}`);
    for (const l of listeners) l({ type: 'blocks-added', blocks: [old.published, fresh.published] });
    await watch.idle();

    const [a, b] = keys.map(k => privateKeyToAddress(k));
    expect(seen).toEqual([
      { kind: 'attestation', signer: a, slot: 11n, digest: fresh.digest, source: 'l1' },
      { kind: 'attestation', signer: b, slot: 11n, digest: fresh.digest, source: 'l1' },
      { kind: 'block', signer: proposer, slot: 11n, digest: fresh.digest, source: 'l1' },
    ]);
    await watch.stop();
    expect(listeners).toHaveLength(0);
  });
});
