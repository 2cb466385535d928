import { z } from 'zod';

import type { L1ContractAddresses } from '../../l1/addresses.js';
import { L1AddressSchema } from '../../types/json.js';

/**
 * The names the L1 contract addresses carry on the wire (`node_getNodeInfo`, `node_getL1ContractAddresses`): Aztec's
 * (`rollupAddress`, `registryAddress`, …, the fee asset as `feeJuiceAddress`), so a script written for an Aztec node
 * reads ours unchanged. Inside the node they keep their short names (src/l1/addresses.ts); `/network-config`, our own
 * file format, keeps the short names too.
 */
export const WIRE_ADDRESS_NAMES = {
  registry: 'registryAddress',
  rollup: 'rollupAddress',
  inbox: 'inboxAddress',
  outbox: 'outboxAddress',
  stakingAsset: 'stakingAssetAddress',
  feeAsset: 'feeJuiceAddress',
  feeJuicePortal: 'feeJuicePortalAddress',
  governanceProposer: 'governanceProposerAddress',
  stakingAssetHandler: 'stakingAssetHandlerAddress',
  verifier: 'verifierAddress',
  slasher: 'slasherAddress',
} as const satisfies Record<keyof L1ContractAddresses, string>;

type WireName = (typeof WIRE_ADDRESS_NAMES)[keyof typeof WIRE_ADDRESS_NAMES];
type Short = keyof typeof WIRE_ADDRESS_NAMES;
const SHORT_NAMES = Object.keys(WIRE_ADDRESS_NAMES) as Short[];

/** The wire form, parsed into the node's own `L1ContractAddresses`. */
export const WireL1ContractAddressesSchema = z
  .strictObject(
    Object.fromEntries(SHORT_NAMES.map(k => [WIRE_ADDRESS_NAMES[k], L1AddressSchema])) as Record<
      WireName,
      typeof L1AddressSchema
    >,
  )
  .transform(
    (w): L1ContractAddresses =>
      Object.fromEntries(SHORT_NAMES.map(k => [k, w[WIRE_ADDRESS_NAMES[k]]])) as unknown as L1ContractAddresses,
  );

/** The node's addresses under their wire names. */
export function toWireAddresses(a: L1ContractAddresses): z.input<typeof WireL1ContractAddressesSchema> {
  return Object.fromEntries(SHORT_NAMES.map(k => [WIRE_ADDRESS_NAMES[k], a[k]])) as z.input<
    typeof WireL1ContractAddressesSchema
  >;
}
