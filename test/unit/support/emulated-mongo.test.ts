/**
 * The emulated MongoDB (test/support/emulated-mongo.ts) runs a transaction alone, so a
 * client that dies inside one must not hold every other client until the transaction's
 * lifetime limit (60 s): the cluster test kills a node with SIGKILL mid-write, and the
 * survivors' requests then failed after the driver's 30 s server selection timeout.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { startEmulatedMongo, type EmulatedMongo } from '../../support/emulated-mongo.js';

/** A client in a process of its own that starts a transaction, writes in it, says so, and waits. */
const DYING_CLIENT = `
import { MongoClient } from 'mongodb';
const client = await new MongoClient(process.argv[1]).connect();
const session = client.startSession();
session.startTransaction();
await client.db('t').collection('c').insertOne({ _id: 'in-the-dead-transaction' }, { session });
console.log('in transaction');
setInterval(() => {}, 1000);
`;

void describe('emulated MongoDB: a client that dies in a transaction', () => {
  let mongo: EmulatedMongo;
  before(async () => {
    mongo = await startEmulatedMongo(0);
  });
  after(async () => {
    await mongo.stop();
  });

  void it('has its transaction undone at once, and the other clients go on', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', DYING_CLIENT, mongo.uri], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('in transaction')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the client ended (${code}) before its transaction began`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const client = await new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 5_000 }).connect();
    try {
      const started = Date.now();
      await client
        .db('t')
        .collection('c')
        .insertOne({ _id: 'after' } as never);
      const ids = (await client.db('t').collection('c').find().toArray()).map((d) => d._id);
      assert.deepEqual(ids, ['after'], 'the dead transaction left nothing behind');
      assert.ok(Date.now() - started < 5_000, `the other client waited ${Date.now() - started} ms`);
    } finally {
      await client.close();
    }
  });
});

void describe('emulated MongoDB: a transaction that needs a new connection', () => {
  let mongo: EmulatedMongo;
  before(async () => {
    mongo = await startEmulatedMongo(0);
  });
  after(async () => {
    await mongo.stop();
  });

  // The commands waiting behind the transaction hold every pooled connection, so its next
  // write opens one more; that connection's handshake must not wait behind the transaction.
  void it('opens it while other commands wait, and commits every write it made', async () => {
    const client = await new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 5_000 }).connect();
    const session = client.startSession();
    try {
      const c = client.db('t').collection<{ _id: string }>('c');
      session.startTransaction();
      await c.insertOne({ _id: 'first' }, { session });
      const waiting = Array.from({ length: 3 }, () => c.find({}).toArray());
      await c.insertOne({ _id: 'second' }, { session });
      await session.commitTransaction();
      const seenByWaiting = await Promise.all(waiting);
      assert.deepEqual(
        seenByWaiting.map((docs) => docs.map((d) => d._id).sort()),
        [
          ['first', 'second'],
          ['first', 'second'],
          ['first', 'second'],
        ],
        'the waiting reads ran after the commit and saw both writes',
      );
    } finally {
      await session.endSession();
      await client.close();
    }
  });
});
