export { connectMongo, type ConnectMongoOptions, type MongoConnection } from './connect-mongo.js';
export { MongoJournal, type MongoJournalOptions } from './mongo-journal.js';
export { MongoReadModel, type MongoReadModelOptions } from './mongo-read-model.js';
export { GridFsBlobStore, type GridFsBlobStoreOptions } from './gridfs-blob-store.js';
export { MongoConfigStore, type MongoConfigStoreOptions } from './mongo-config-store.js';
export { MongoAuditLog, type MongoAuditLogOptions } from './mongo-audit-log.js';
export { buildSearchFilter, escapeRegex, foldCase } from './mongo-search.js';
export { isDuplicateKeyError } from './mongo-errors.js';
export { MongoSendAttempts, type MongoSendAttemptsOptions } from './mongo-send-attempts.js';
