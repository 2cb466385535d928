import type { Address } from 'viem';

/** The gossip topics of the network. */
export const TopicType = {
  tx: 'tx',
  blockProposal: 'block_proposal',
  attestation: 'attestation',
} as const;

/** One of `TopicType`. */
export type TopicType = (typeof TopicType)[keyof typeof TopicType];

/** What makes a network distinct: nodes of two networks never share a topic. */
export interface NetworkIdentity {
  /** The L1 chain id. */
  l1ChainId: bigint;
  /** The rollup contract address. */
  rollupAddress: Address;
  /** The rollup (protocol) version. */
  version: bigint;
}

/** The topic name of `type` on a network: `/aztec/<chainId>/<rollup>/<version>/<type>`. */
export function topicName(network: NetworkIdentity, type: TopicType): string {
  return `/aztec/${network.l1ChainId}/${network.rollupAddress.toLowerCase()}/${network.version}/${type}`;
}

/** The req/resp protocol id of `name` on a network, versioned like the topics. */
export function reqRespProtocol(network: NetworkIdentity, name: string): string {
  return `/aztec/req/${network.l1ChainId}/${network.rollupAddress.toLowerCase()}/${network.version}/${name}/1.0.0`;
}
