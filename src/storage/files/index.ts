/** Blobs as files on the local filesystem (embedded mode). */
export { FileBlobStore } from './file-blob-store.js';
