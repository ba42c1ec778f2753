/**
 * Picks the Store for this process: MongoDB when a URI is given (option or `MONGODB_URI`), else
 * the embedded SQLite store under the data directory. Callers only ever see the Store interface.
 */
import type { Store } from './store.js';
import { openEmbeddedStore } from './embedded.js';

export interface OpenStoreOptions {
  /** Directory of the embedded store (`voc.sqlite` inside); created when missing. */
  dataDir: string;
  /** MongoDB connection string; falls back to env `MONGODB_URI`. Empty means "not set". */
  mongoUri?: string;
}

/**
 * Opens the configured store. MongoDB connection problems become a one-line VocError naming the
 * URI with its password masked; embedded-store problems one naming the data directory.
 */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const mongoUri = opts.mongoUri || process.env.MONGODB_URI;
  if (mongoUri) {
    // Loaded only when used: the driver costs every embedded-mode command ~0.3 s to import.
    const { openMongoStore } = await import('./mongo.js');
    return openMongoStore(mongoUri);
  }
  return openEmbeddedStore(opts.dataDir);
}
