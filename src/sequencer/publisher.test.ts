import { bytesToHex, decodeFunctionData, getAddress, type Hex } from 'viem';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startFlakyL1 } from '../../test/helpers/flaky-l1.js';
import { L1BlockPublisher, type DraftBlock } from '../../test/helpers/l1-blocks.js';
import { devValidators, startTestL1, type TestL1 } from '../../test/helpers/l1.js';
import { AbortedError } from '../foundation/timers/index.js';
import { openKvStore, type KvStore } from '../kv/index.js';
import { encodeBlobInput } from '../l1/blobs/index.js';
import { createL1PublicClient, createL1WalletClient } from '../l1/clients.js';
import { GovernanceProposerContract, RollupContract } from '../l1/contracts/index.js';
import { devAccount } from '../l1/dev-accounts.js';
import { RollupAbi } from '../l1/generated/index.js';
import { L1TxSender } from '../l1/tx-sender.js';
import { proposalDigest, signProposalDigest, type Attestation } from '../protocol/proposal-digest.js';
import { frToHex, type Fr } from '../types/fr.js';
import { encodeHeader, headerHash } from '../types/header-codec.js';
import { DoublePublishError, SlotGuard } from './slot-guard.js';
import { proposeGasLimit, Publisher, type BlockProposal } from './publisher.js';

// The committee is anvil account 1 alone (attester = proposer), staked at deployment: it proposes every slot.
const PROPOSER = devAccount(1);
const PAYLOAD = getAddress('0x00000000000000000000000000000000000beef1');
const HOUR = 3_600_000;

describe('Publisher on anvil', () => {
  let l1: TestL1;
  let blocks: L1BlockPublisher;
  let rollup: RollupContract;
  let store: KvStore;
  let guard: SlotGuard;
  let snapshot: Hex;
  const rpc = <T = unknown>(method: string, params: unknown[] = []) => blocks.rpc<T>(method, params);

  beforeAll(async () => {
    l1 = await startTestL1({ initialValidators: devValidators(1) });
    blocks = new L1BlockPublisher(l1);
    rollup = new RollupContract(l1.publicClient, l1.deployment.addresses.rollup);
  });
  afterAll(async () => {
    await l1.stop();
  });
  beforeEach(async () => {
    snapshot = await rpc<Hex>('evm_snapshot');
    store = await openKvStore({ name: 'publisher-test' });
    guard = new SlotGuard(store);
  });
  afterEach(async () => {
    await store.close();
    await rpc('evm_setAutomine', [true]);
    await rpc('evm_revert', [snapshot]);
  });

  function publisher(opts: { stallTimeMs?: number; governancePayload?: Hex; rpcUrl?: string } = {}) {
    const via = { rpcUrls: [opts.rpcUrl ?? l1.anvil.url], chainId: l1.anvil.chainId, pollingIntervalMs: 20 };
    const sender = new L1TxSender(createL1PublicClient(via), createL1WalletClient(via, PROPOSER.privateKey), {
      pollingIntervalMs: 20,
      stallTimeMs: opts.stallTimeMs ?? HOUR,
      maxReplacements: 0,
    });
    const governanceProposer = new GovernanceProposerContract(
      l1.publicClient,
      l1.deployment.addresses.governanceProposer,
    );
    return new Publisher(
      { rollup, governanceProposer, sender, guard },
      opts.governancePayload ? { governancePayload: opts.governancePayload } : {},
    );
  }

  /** The next slot's block (random state) with the committee's attestation, signed by `signer`. */
  async function proposal(signer = PROPOSER.privateKey): Promise<BlockProposal & { draft: DraftBlock; root: Fr }> {
    const draft = await blocks.prepare();
    const root = blocks.uniqueFr();
    const n = draft.header.globalVariables.blockNumber;
    const digest = proposalDigest(l1.anvil.chainId, rollup.address, frToHex(headerHash(draft.header)), frToHex(root));
    const attestation: Attestation = await signProposalDigest(digest, signer);
    return {
      draft,
      root,
      block: { header: draft.header, archive: { root, nextAvailableLeafIndex: Number(n) + 1 }, body: draft.body },
      blobs: draft.blobs,
      versionedHashes: draft.versionedHashes,
      attestations: [attestation],
      committeeSize: 1,
    };
  }

  /** The next L1 block is mined at the proposal's slot start (anvil automines the publisher's tx into it). */
  const mineNextAt = (p: BlockProposal) =>
    rpc('evm_setNextBlockTimestamp', [Number(p.block.header.globalVariables.timestamp)]);
  const slotOf = (p: BlockProposal) => BigInt(p.block.header.globalVariables.slotNumber);
  const farDeadline = () => new Date(Date.now() + HOUR);
  const sentBy = (index: number) => l1.publicClient.getTransactionCount({ address: devAccount(index).address });

  it('sends one blob tx calling Rollup.propose with the header, archive, attestations and the blobs', async () => {
    const p = await proposal();
    await mineNextAt(p);
    const result = await publisher().propose(p, farDeadline());
    if (!result.published) throw new Error(`not published: ${result.reason}`);

    const tx = await l1.publicClient.getTransaction({ hash: result.receipt.transactionHash });
    expect(tx.from).toBe(PROPOSER.address.toLowerCase());
    expect(tx.to).toBe(rollup.address.toLowerCase());
    expect(tx.gas).toBe(proposeGasLimit(p));
    expect(tx.blobVersionedHashes).toEqual(p.versionedHashes);
    const call = decodeFunctionData({ abi: RollupAbi, data: tx.input });
    expect(call.functionName).toBe('propose');
    expect(call.args).toEqual([
      bytesToHex(encodeHeader(p.block.header)),
      frToHex(p.root),
      p.attestations.map(a => ({ v: a.v, r: a.r, s: a.s })),
      encodeBlobInput(p.versionedHashes),
    ]);
    const blobs = await rpc<Hex[]>('anvil_getBlobsByTransactionHash', [tx.hash]);
    expect(blobs.map(b => b.toLowerCase())).toEqual(p.blobs.map(b => bytesToHex(b)));

    // L1 took it: the pending tip is the block, with our archive; the slot is recorded as published.
    expect((await rollup.getTips()).pending).toBe(1n);
    expect(await rollup.archiveAt(1n)).toBe(frToHex(p.root));
    expect(guard.published(slotOf(p))).toBe(frToHex(p.root));
  });

  it('publishes through an L1 RPC that fails the first eth_sendRawTransaction with HTTP 500', async () => {
    const flaky = await startFlakyL1(l1.anvil.url);
    try {
      let failures = 1;
      flaky.setPolicy(({ methods }) =>
        methods.includes('eth_sendRawTransaction') && failures-- > 0 ? { status: 500 } : 'forward',
      );
      const p = await proposal();
      await mineNextAt(p);
      const result = await publisher({ rpcUrl: flaky.url }).propose(p, farDeadline());
      if (!result.published) throw new Error(`not published: ${result.reason}`);
      expect(flaky.counts().failedMethods['eth_sendRawTransaction']).toBe(1);
      expect(await rollup.archiveAt(1n)).toBe(frToHex(p.root));
    } finally {
      await flaky.stop();
    }
  });

  it('sends nothing when L1 would refuse the block, and says which contract error', async () => {
    // Signed by account 2, which is not in the committee.
    const p = await proposal(devAccount(2).privateKey);
    await mineNextAt(p);
    const result = await publisher().propose(p, farDeadline());
    expect(result.published).toBe(false);
    expect(!result.published && result.reason).toMatch(/^L1 would refuse the block: Rollup__\w+\(/);
    expect(await sentBy(1)).toBe(0);
    expect(guard.published(slotOf(p))).toBeUndefined();
  });

  it('reports a propose that reverted on chain with the contract error of a re-run at its block', async () => {
    const p = await proposal();
    // The tx lands a slot late: it passed the simulation at its slot's time but reverts where it is mined.
    const late = await rollup.client.readContract({
      address: rollup.address,
      abi: RollupAbi,
      functionName: 'getTimestampForSlot',
      args: [slotOf(p) + 1n],
    });
    await rpc('evm_setNextBlockTimestamp', [Number(late)]);
    const result = await publisher().propose(p, farDeadline());
    expect(result.published).toBe(false);
    expect(!result.published && result.reason).toMatch(
      /^L1 tx 0x[0-9a-f]{64} reverted: Rollup__\w+\(.*\(gas used \d+\)$/,
    );
    expect(await sentBy(1)).toBe(1);
    expect((await rollup.getTips()).pending).toBe(0n);
  });

  it('gives up at the deadline when the tx is not mined, naming the nonce', async () => {
    await rpc('evm_setAutomine', [false]);
    const p = await proposal();
    const result = await publisher({ stallTimeMs: HOUR }).propose(p, new Date(Date.now() + 300));
    expect(result.published).toBe(false);
    expect(!result.published && result.reason).toMatch(
      /^L1 tx failed: L1 tx with nonce 0 not mined before the deadline/,
    );
  });

  it('stops waiting for the receipt as soon as the signal fires (stop), with AbortedError', async () => {
    await rpc('evm_setAutomine', [false]);
    const p = await proposal();
    const ac = new AbortController();
    // Deadline and stall time an hour away: only the abort can end this wait.
    const pending = publisher().propose(p, farDeadline(), ac.signal);
    while ((await l1.publicClient.getTransactionCount({ address: PROPOSER.address, blockTag: 'pending' })) === 0) {
      await new Promise(r => setTimeout(r, 20));
    }
    ac.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });

  it('refuses a second, different block for a slot it already published, before sending', async () => {
    const p = await proposal();
    guard.claim(slotOf(p), frToHex(blocks.uniqueFr()));
    await mineNextAt(p);
    await expect(publisher().propose(p, farDeadline())).rejects.toBeInstanceOf(DoublePublishError);
    expect(await sentBy(1)).toBe(0);
  });

  it('signals the governance payload in the same slot after the block, once', async () => {
    const p = await proposal();
    await mineNextAt(p);
    // The signal's L1 block follows the block's by one second, however slow the machine: still the same slot.
    await rpc('anvil_setBlockTimestampInterval', [1]);
    const result = await publisher({ governancePayload: PAYLOAD })
      .propose(p, farDeadline())
      .finally(() => rpc('anvil_removeBlockTimestampInterval'));
    if (!result.published) throw new Error(`not published: ${result.reason}`);
    const gp = new GovernanceProposerContract(l1.publicClient, l1.deployment.addresses.governanceProposer);
    expect(await gp.hasSignalled(slotOf(p))).toBe(true);
    expect(await gp.signalCount(await gp.computeRound(slotOf(p)), PAYLOAD)).toBe(1n);
    expect(await sentBy(1)).toBe(2);
  });

  it('prunes only when L1 allows it: nothing to prune sends nothing', async () => {
    expect(await publisher().prune()).toBe(false);
    expect(await sentBy(1)).toBe(0);
  });
});
