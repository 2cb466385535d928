import type { L1PublicClient, L1WalletClient } from '../clients.js';

/** A reader and a signer on one L1: what a wrapper's write methods need. */
export interface L1Clients {
  publicClient: L1PublicClient;
  walletClient: L1WalletClient;
}
