import type { Address, Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

import { ConfigError } from '../foundation/config/index.js';
import { l2AddressFromPrivateKey } from '../types/keys.js';
import { frToHex } from '../types/fr.js';
import { loadKeystore } from '../validator/keystore/index.js';
import type { AztecConfig } from './config.js';

/**
 * One validator the node runs, with every default filled in. Key fields end in `PrivateKey(s)`, which the logger
 * redacts.
 */
export interface NodeValidator {
  attester: Address;
  attesterPrivateKey: Hex;
  /** Never empty: the attester key when none is given. */
  publisherPrivateKeys: readonly Hex[];
  coinbase: Address;
  /** L2 address of the fees (0x + 64 hex). */
  feeRecipient: Hex;
}

/**
 * The node's validators: the keystore's (`--keystore`, KEY_STORE_DIRECTORY) or VALIDATOR_PRIVATE_KEY's one (with
 * SEQ_PUBLISHER_PRIVATE_KEY as its publisher); none without either. COINBASE and FEE_RECIPIENT are the defaults of
 * entries that set none, then the attester's own L1 and L2 addresses.
 */
export async function resolveNodeValidators(
  config: Pick<AztecConfig, 'validator' | 'sequencer'>,
): Promise<NodeValidator[]> {
  const { keyStoreDirectory, validatorPrivateKey } = config.validator;
  const { coinbase, feeRecipient, publisherPrivateKey } = config.sequencer;
  if (keyStoreDirectory !== undefined && validatorPrivateKey !== undefined) {
    throw new ConfigError([
      {
        flag: '--keystore',
        env: 'KEY_STORE_DIRECTORY',
        message:
          '--keystore / KEY_STORE_DIRECTORY and --sequencer.validatorPrivateKey / VALIDATOR_PRIVATE_KEY are both set: ' +
          'give one (a keystore can hold that key too)',
      },
    ]);
  }
  const withDefaults = (v: {
    attesterPrivateKey: Hex;
    publisherPrivateKeys: readonly Hex[];
    coinbase?: Address | undefined;
    feeRecipient?: Hex | undefined;
  }): NodeValidator => {
    const attester = privateKeyToAddress(v.attesterPrivateKey);
    return {
      attester,
      attesterPrivateKey: v.attesterPrivateKey,
      publisherPrivateKeys: v.publisherPrivateKeys.length > 0 ? v.publisherPrivateKeys : [v.attesterPrivateKey],
      coinbase: v.coinbase ?? coinbase ?? attester,
      feeRecipient: v.feeRecipient ?? feeRecipient ?? frToHex(l2AddressFromPrivateKey(v.attesterPrivateKey)),
    };
  };
  if (keyStoreDirectory !== undefined) {
    return (await loadKeystore(keyStoreDirectory)).map(withDefaults);
  }
  if (validatorPrivateKey === undefined) return [];
  return [
    withDefaults({
      attesterPrivateKey: validatorPrivateKey,
      publisherPrivateKeys: publisherPrivateKey ? [publisherPrivateKey] : [],
    }),
  ];
}
