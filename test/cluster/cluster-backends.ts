/**
 * Where the cluster test's nodes keep journal, read model, documents and configuration:
 * one shared DATA_DIR (SQLite), or MongoDB — the real one MONGODB_URI names, else the
 * emulated one (scripts/emulated-mongo.mjs) in a process of its own, so that its load is
 * not the test process's.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { EMULATED_FIELD } from '../support/emulated-mongo.js';

/** Where the nodes keep journal, read model, documents and configuration. */
export interface Backend {
  readonly name: string;
  /** Settings (beside DATA_DIR, REDIS_URL and QUEUE_PREFIX) of the nodes and of the test's own storage. */
  start(): Promise<{ readonly env: Readonly<Record<string, string>>; stop(): Promise<void> }>;
}

export const sqliteBackend: Backend = {
  name: 'one DATA_DIR (SQLite)',
  start: async () => ({ env: {}, stop: async () => {} }),
};

const CLUSTER_SECRET = 'budbringer-cluster-test-secret-0123456789';

/** MONGODB_URI when it names a real MongoDB; else an emulated one in a process of its own. */
export const mongoBackend: Backend = {
  name: 'MongoDB',
  start: async () => {
    // Cluster nodes share SECRET (a node without it refuses to start in cluster mode).
    const db = { MONGODB_DB: `budbringer_cluster_${process.pid}_${Date.now()}`, SECRET: CLUSTER_SECRET };
    const given = process.env['MONGODB_URI'] ?? '';
    if (given !== '' && !(await isEmulated(given))) {
      return { env: { ...db, MONGODB_URI: given }, stop: () => dropDatabase(given, db.MONGODB_DB) };
    }
    const emulated = await startEmulatedMongoProcess();
    return { env: { ...db, MONGODB_URI: emulated.uri }, stop: emulated.stop };
  },
};

async function isEmulated(uri: string): Promise<boolean> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    return (await client.db('admin').command({ hello: 1 }))[EMULATED_FIELD] === true;
  } finally {
    await client.close();
  }
}

async function dropDatabase(uri: string, name: string): Promise<void> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

/** scripts/emulated-mongo.mjs on a free port, in a process of its own (the nodes' load is not the test's). */
function startEmulatedMongoProcess(): Promise<{ uri: string; stop(): Promise<void> }> {
  const root = join(import.meta.dirname, '..', '..');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts', 'emulated-mongo.mjs'), '--port', '0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulated MongoDB did not start:\n${out}`)), 30_000);
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const uri = /mongodb:\/\/\S+/.exec(out)?.[0];
      if (uri === undefined) return;
      clearTimeout(timer);
      resolve({ uri, stop: async () => void (child.kill('SIGTERM'), await exited) });
    });
    child.once('exit', (code) => reject(new Error(`the emulated MongoDB exited with ${code}:\n${out}`)));
  });
}
