/** The port contract suites; each adapter's test file runs them with its own factory. */
export { journalContract } from './journal.js';
export type { JournalFixture } from './journal.js';
export { readModelContract } from './read-model.js';
export type { ReadModelFixture } from './read-model.js';
export { blobStoreContract, generated, generatedChunk } from './blob-store.js';
export type { BlobStoreFixture } from './blob-store.js';
export { blobReferencesContract } from './blob-references.js';
export type { BlobReferencesFixture } from './blob-references.js';
export { jobQueueContract } from './job-queue.js';
export type { JobQueueFixture, JobQueueSuiteTiming, JobQueueTestOptions } from './job-queue.js';
export { configStoreContract } from './config-store.js';
export type { ConfigStoreFixture } from './config-store.js';
export { sendAttemptsContract } from './send-attempts.js';
export type { SendAttemptsFixture } from './send-attempts.js';
export { gate, readAll, sleep, waitFor, withFixture } from './support.js';
