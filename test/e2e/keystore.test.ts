import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeFunctionData, getAddress, parseAbiItem, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';

import { getFreePort } from '../../src/foundation/net/free-port.js';
import { createL1PublicClient } from '../../src/l1/clients.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { proposalDigest, recoverAttester } from '../../src/protocol/proposal-digest.js';
import { frToHex } from '../../src/types/fr.js';
import { decodeHeader, headerHash } from '../../src/types/header-codec.js';
import { writeKeystore } from '../../src/validator/keystore/index.js';
import { spawnAztec, type AztecProcess } from '../helpers/cli.js';
import { until } from '../helpers/in-process-network.js';

const EPOCH_SLOTS = 8; // the local preset
const PROPOSED = parseAbiItem(
  'event L2BlockProposed(uint256 indexed blockNumber, bytes32 indexed archive, bytes32[] versionedBlobHashes)',
);

/** What L1 holds of one block: who sent it, who signed it, its header's slot and coinbase. */
interface L1Block {
  blockNumber: bigint;
  slot: bigint;
  sender: Address;
  coinbase: Address;
  attesters: Address[];
}

/** The blocks the Rollup accepted, from its events and the propose calls' calldata. */
async function l1Blocks(l1Url: string, rollup: Address): Promise<L1Block[]> {
  const l1 = createL1PublicClient({ rpcUrls: [l1Url], chainId: 31337 });
  const logs = await l1.getLogs({ address: rollup, event: PROPOSED, fromBlock: 0n });
  const out: L1Block[] = [];
  for (const log of logs) {
    const tx = await l1.getTransaction({ hash: log.transactionHash });
    const { args } = decodeFunctionData({ abi: RollupAbi, data: tx.input });
    const [rawHeader, archive, attestations] = args as unknown as [Hex, Hex, { v: number; r: Hex; s: Hex }[]];
    const header = decodeHeader(Buffer.from(rawHeader.slice(2), 'hex'));
    const digest = proposalDigest(31337, rollup, frToHex(headerHash(header)), archive);
    out.push({
      blockNumber: log.args.blockNumber!,
      slot: header.globalVariables.slotNumber,
      sender: getAddress(tx.from),
      coinbase: getAddress(header.globalVariables.coinbase),
      attesters: await Promise.all(attestations.map(a => recoverAttester(digest, a))),
    });
  }
  return out;
}

describe('aztec start --local-network --keystore', () => {
  let proc: AztecProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await proc?.stop('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('one node runs the keystore’s 4 attesters: a block in every slot of 2 epochs, each with ≥3 of their signatures and its proposer’s coinbase', async () => {
    dir = mkdtempSync(join(tmpdir(), 'keystore-e2e-'));
    const file = join(dir, 'keystore.json');
    // Four validators, each with its own publisher (funded at genesis) and coinbase; two keys are encrypted.
    const validators = Array.from({ length: 4 }, (_, i) => ({
      attesterPrivateKey: devAccount(i + 5).privateKey,
      publisherPrivateKeys: [generatePrivateKey()],
      coinbase: getAddress(`0x${'c0'.repeat(19)}0${i + 1}`),
    }));
    await writeKeystore(file, validators.slice(0, 2), { kind: 'inline' }, { extend: false });
    await writeKeystore(
      file,
      validators.slice(2),
      {
        kind: 'encrypted',
        keysDir: join(dir, 'keys'),
        passwordFile: join(dir, 'keys', 'password'),
        password: 'pw',
        scryptN: 1024,
      },
      { extend: true },
    );
    const byPublisher = new Map(validators.map(v => [privateKeyToAddress(v.publisherPrivateKeys[0]!), v]));
    const attesters = new Set(validators.map(v => privateKeyToAddress(v.attesterPrivateKey)));

    const [l1Port, rpc, admin] = [await getFreePort(), await getFreePort(), await getFreePort()];
    const l1Url = `http://127.0.0.1:${l1Port}`;
    proc = spawnAztec([
      'start',
      '--local-network',
      '--keystore',
      file,
      '--l1-rpc-urls',
      l1Url,
      '--port',
      String(rpc),
      '--admin-port',
      String(admin),
      '--host',
      '127.0.0.1',
    ]);
    await proc.waitFor(/Press Ctrl-C to stop/, 120_000);
    const { stdout } = proc.output();
    for (const a of attesters) expect(stdout).toContain(a);
    const rollup = /rollup\s+(0x[0-9a-fA-F]{40})/.exec(stdout)![1] as Address;

    // Two epochs: slots 0..15, blocks 1..16.
    const slots = 2 * EPOCH_SLOTS;
    let blocks: L1Block[] = [];
    await until(
      `${slots} blocks on L1`,
      async () => (blocks = await l1Blocks(l1Url, rollup)).length >= slots,
      (slots + 10) * 8_000,
    );
    const first = blocks.slice(0, slots);
    expect(first.map(b => b.slot)).toEqual(Array.from({ length: slots }, (_, i) => BigInt(i)));
    expect(first.map(b => b.blockNumber)).toEqual(Array.from({ length: slots }, (_, i) => BigInt(i + 1)));
    for (const b of first) {
      const distinct = new Set(b.attesters);
      expect(distinct.size, `block ${b.blockNumber}`).toBeGreaterThanOrEqual(3);
      for (const a of distinct) expect(attesters.has(a), `block ${b.blockNumber} signer ${a}`).toBe(true);
      // Sent by a keystore publisher; its header pays that validator's coinbase.
      const v = byPublisher.get(b.sender);
      expect(v, `block ${b.blockNumber} sent by ${b.sender}`).toBeDefined();
      expect(b.coinbase).toBe(v!.coinbase);
    }
    // Several of the attesters proposed, each with its own publisher and coinbase.
    expect(new Set(first.map(b => b.sender)).size).toBeGreaterThan(1);

    expect(await proc.stop('SIGINT')).toBe(0);
  }, 420_000);
});
