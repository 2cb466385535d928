import type { AztecConfig } from '../../../node/config.js';

/** Starts a whole network on this machine (`aztec start --local-network`). Stub: to be replaced. */
export function startLocalNetwork(config: AztecConfig): Promise<void> {
  void config;
  return Promise.reject(new Error('aztec start --local-network: not implemented'));
}
