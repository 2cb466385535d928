export * from './manual-l1-clock.js';
