import { toFunctionSelector } from 'viem';
import { describe, expect, it } from 'vitest';

import { computeRootFromPath, sha256ToField, zeroHashes } from '../foundation/crypto/index.js';
import {
  FEE_JUICE_ADDRESS,
  computeSecretHash,
  feeJuiceBalanceSlot,
  feeJuiceClaimContent,
  feeJuiceClaimMessageLeaf,
  feeJuiceClaimNullifier,
  inboxMessageLeaf,
} from './fee-juice.js';
import { frToBuffer, type Fr } from './fr.js';
import { computeOutHash, l2ToL1MessageLeaf, outHashSiblingPath, txL2ToL1MessageLeaves } from './messages.js';
import { TestRandom, randomUnsignedTx } from './testing/index.js';

const h = (...parts: Uint8Array[]) => BigInt(`0x${sha256ToField(...parts).toString('hex')}`) as Fr;
const word = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
const addressWord = (a: string) => word(BigInt(a));

describe('L2→L1 messages', () => {
  it('leaf = sha256ToField(abi.encode(bytes32 sender, address recipient, uint256 chainId, bytes32 content))', () => {
    const rng = new TestRandom(50);
    const [sender, content, recipient] = [rng.fr(), rng.fr(), rng.address()];
    expect(l2ToL1MessageLeaf(sender, recipient, 31337n, content)).toBe(
      h(frToBuffer(sender), addressWord(recipient), word(31337n), frToBuffer(content)),
    );
    const tx = randomUnsignedTx(rng);
    expect(txL2ToL1MessageLeaves(tx, 1n)).toEqual(
      tx.l2ToL1Messages.map(m => l2ToL1MessageLeaf(tx.feePayer, m.recipient, 1n, m.content)),
    );
  });

  it('out hash: 0 for none, the leaf itself for one, a zero-padded power-of-two tree otherwise', () => {
    const rng = new TestRandom(51);
    const leaves = rng.array(8, () => rng.fr());
    const [a, b, c] = leaves.map(frToBuffer) as [Buffer, Buffer, Buffer];
    expect(computeOutHash([])).toBe(0n);
    expect(computeOutHash([leaves[0]!])).toBe(leaves[0]);
    expect(computeOutHash(leaves.slice(0, 2))).toBe(h(a, b));
    const zero = zeroHashes(0)[0]!;
    expect(computeOutHash(leaves.slice(0, 3))).toBe(h(sha256ToField(a, b), sha256ToField(c, zero)));
  });

  it('sibling paths prove each leaf against the out hash (Outbox MerkleLib semantics)', () => {
    const rng = new TestRandom(52);
    for (const n of [1, 2, 3, 5, 8, 13]) {
      const leaves = rng.array(n, () => rng.fr());
      const root = computeOutHash(leaves);
      for (let i = 0; i < n; i++) {
        const path = outHashSiblingPath(leaves, i);
        expect(path.length).toBe(Math.ceil(Math.log2(n)));
        const computed = computeRootFromPath(frToBuffer(leaves[i]!), BigInt(i), path.map(frToBuffer));
        expect(BigInt(`0x${computed.toString('hex')}`)).toBe(root);
      }
    }
    expect(() => outHashSiblingPath([1n as Fr], 1)).toThrow(/outside/);
  });
});

describe('fee juice', () => {
  it('balance slot = sha256ToField(bytes32(5) ‖ address)', () => {
    const a = new TestRandom(53).fr();
    expect(feeJuiceBalanceSlot(a)).toBe(h(word(5n), frToBuffer(a)));
  });

  it('claim content = sha256ToField(abi.encodeWithSignature("claim(bytes32,uint256)", to, amount))', () => {
    const rng = new TestRandom(54);
    const [to, amount] = [rng.fr(), rng.uint(128)];
    const selector = Buffer.from(toFunctionSelector('claim(bytes32,uint256)').slice(2), 'hex');
    expect(feeJuiceClaimContent(to, amount)).toBe(h(selector, frToBuffer(to), word(amount)));
  });

  it('claim message leaf mirrors the Inbox leaf of depositToAztecPublic', () => {
    const rng = new TestRandom(55);
    const d = {
      portal: rng.address(),
      l1ChainId: 31337n,
      version: rng.uint(64),
      to: rng.fr(),
      amount: rng.uint(128),
      secret: rng.fr(),
      globalIndex: 17n,
    };
    const secretHash = computeSecretHash(d.secret);
    expect(secretHash).toBe(h(frToBuffer(d.secret)));
    const expected = h(
      addressWord(d.portal),
      word(d.l1ChainId),
      word(5n),
      word(d.version),
      frToBuffer(feeJuiceClaimContent(d.to, d.amount)),
      frToBuffer(secretHash),
      word(d.globalIndex),
    );
    expect(feeJuiceClaimMessageLeaf(d)).toBe(expected);
    expect(
      inboxMessageLeaf({
        sender: d.portal,
        l1ChainId: d.l1ChainId,
        recipient: { actor: FEE_JUICE_ADDRESS, version: d.version },
        content: feeJuiceClaimContent(d.to, d.amount),
        secretHash,
        globalIndex: d.globalIndex,
      }),
    ).toBe(expected);
    expect(feeJuiceClaimMessageLeaf({ ...d, globalIndex: 18n })).not.toBe(expected);
  });

  it('claim nullifier = sha256ToField(leaf ‖ bytes32(leafIndex))', () => {
    const leaf = new TestRandom(56).fr();
    expect(feeJuiceClaimNullifier(leaf, 33n)).toBe(h(frToBuffer(leaf), word(33n)));
  });
});
