/** Blobs as files on the local filesystem (embedded mode). */
export { FileBlobStore, type FileBlobStoreOptions } from './file-blob-store.js';
export { ATOMIC_WRITE_TEMP, BLOB_PART, removeStaleTempFiles, STALE_AFTER_MS } from './stale-temp-files.js';
