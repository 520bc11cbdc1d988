/** Blobs as files on the local filesystem (embedded mode). */
export { FileBlobStore, type FileBlobStoreOptions } from './file-blob-store.js';
