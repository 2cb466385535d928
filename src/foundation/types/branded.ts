declare const brand: unique symbol;

/** A bigint that cannot be mixed with other kinds of numbers by accident. */
export type Branded<T, B extends string> = T & { readonly [brand]: B };

/** An L2 slot number. */
export type Slot = Branded<bigint, 'Slot'>;
/** An L2 epoch number. */
export type Epoch = Branded<bigint, 'Epoch'>;
/** An L2 block number. */
export type L2BlockNumber = Branded<bigint, 'L2BlockNumber'>;
/** An L1 block number. */
export type L1BlockNumber = Branded<bigint, 'L1BlockNumber'>;
/** Seconds since the unix epoch. */
export type UnixSeconds = Branded<bigint, 'UnixSeconds'>;

export const asSlot = (n: bigint | number) => BigInt(n) as Slot;
export const asEpoch = (n: bigint | number) => BigInt(n) as Epoch;
export const asL2BlockNumber = (n: bigint | number) => BigInt(n) as L2BlockNumber;
export const asL1BlockNumber = (n: bigint | number) => BigInt(n) as L1BlockNumber;
export const asUnixSeconds = (n: bigint | number) => BigInt(n) as UnixSeconds;
