export * from './client.js';
export * from './errors.js';
export * from './hosts.js';
export * from './responses.js';
