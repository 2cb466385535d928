export * from './client.js';
export * from './dispatch.js';
export * from './errors.js';
export * from './raw-json.js';
export * from './schema.js';
export * from './server.js';
