export * from './levels.js';
export * from './logger.js';
