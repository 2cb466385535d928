export { KeystoreError, loadKeystore, type KeystoreValidator } from './load.js';
export { KeystoreFileSchema, type KeySource, type KeystoreFile, type ValidatorEntry } from './schema.js';
export { DEFAULT_SCRYPT_N, encryptKey, storeKey, writeKeystore, type KeyStorage, type NewValidator } from './write.js';
