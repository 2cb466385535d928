import type { Codec } from '../foundation/serialization/index.js';
import type { BlockHeader } from './header.js';
import { decodeHeader, encodeHeader } from './header-codec.js';
import { decodeBlockBody, decodeL2Block, encodeBlockBody, encodeL2Block, type L2Block } from './l2-block.js';
import type { Tx } from './tx.js';
import { decodeTx, encodeTx } from './tx-codec.js';
import { decodeTxEffect, encodeTxEffect, type TxEffect } from './tx-effect.js';

/** `abi.encode(Header)`, 800 bytes. */
export const blockHeaderCodec: Codec<BlockHeader> = { encode: encodeHeader, decode: decodeHeader };
/** A signed tx. */
export const txCodec: Codec<Tx> = { encode: encodeTx, decode: decodeTx };
/** A tx effect. */
export const txEffectCodec: Codec<TxEffect> = { encode: encodeTxEffect, decode: decodeTxEffect };
/** A block body (`TxEffect[]`), as published in blobs. */
export const blockBodyCodec: Codec<TxEffect[]> = { encode: encodeBlockBody, decode: decodeBlockBody };
/** A whole `L2Block`. */
export const l2BlockCodec: Codec<L2Block> = { encode: encodeL2Block, decode: decodeL2Block };
