export * from './execute.js';
export * from '../../p2p/tx-validation/index.js';
