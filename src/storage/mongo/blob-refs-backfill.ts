/**
 * Blob references for forsendelser stored before reference tracking (cluster mode), the
 * MongoDB counterpart of SQLite's schema step 3 (src/storage/sqlite/migrations.ts).
 * Without it such a letter holds nothing: a refused send or a purge that releases the last
 * hold on a document it shares (the same leaflet) deletes bytes the old letter still
 * serves, and its own purge releases nothing, so its documents are never deleted.
 *
 * Once for the cluster, resumable, in batches. A node that finds no completion marker
 * takes the run's lease (a document in `migreringer`, renewed after every batch), reads
 * the letters in `_id` order a batch at a time, records each batch's references in one
 * durable bulk write, and then records how far it got. A restarted run (the same node or
 * another, once the lease has lapsed) goes on from there instead of starting over; nodes
 * that find the lease taken wait for the marker, so none serves before the references
 * exist. Re-doing a batch after a death between its write and its progress is harmless:
 * the references are upserts.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection, Db } from 'mongodb';
import type { MongoBlobHolds } from './mongo-blob-holds.js';
import { isDuplicateKeyError } from './mongo-errors.js';

/** The marker's collection and id (the marker is what earlier versions wrote when done). */
const MIGRATIONS = 'migreringer';
const MARKER = 'blob-referanser-v1';
/** The run's lease and progress, beside the marker (an earlier version reads only the marker). */
const PROGRESS = `${MARKER}-fremdrift`;

/** Letters per batch: one read and one bulk write of their references each. */
const BATCH = 500;
/** How long a run's lease lasts without renewal: a dead node's run is taken over after it. */
const LEASE_MS = 30_000;
/** How often a waiting node looks for the marker. */
const POLL_MS = 250;

interface MigrationDoc {
  _id: string;
  /** Set on the marker: when the run finished. */
  at?: Date;
  /** On the progress document: the node whose run it is, until when, and the last letter done. */
  owner?: string;
  until?: Date;
  after?: string;
}

interface ViewShape {
  readonly dokumenterSlettetAt?: unknown;
  readonly dokumenter?: ReadonlyArray<{ readonly blob?: { readonly sha256?: unknown } }>;
  readonly forsendelsesfil?: { readonly sha256?: unknown };
  readonly printfil?: { readonly sha256?: unknown };
}

/** The blobs a stored view uses, none once its documents are deleted (as the SQLite step reads it). */
export function blobsOfView(view: ViewShape): string[] {
  if (view.dokumenterSlettetAt !== undefined && view.dokumenterSlettetAt !== null) return [];
  const shas = [
    ...(view.dokumenter ?? []).map((d) => d.blob?.sha256),
    view.forsendelsesfil?.sha256,
    view.printfil?.sha256,
  ];
  return [...new Set(shas.filter((s): s is string => typeof s === 'string'))];
}

/** Gives every stored forsendelse its references unless that was done; returns how many forsendelser this node read. */
export async function backfillBlobReferences(
  db: Db,
  holds: MongoBlobHolds,
  forsendelser = 'forsendelser',
): Promise<number> {
  const migrations = db.collection<MigrationDoc>(MIGRATIONS);
  const me = randomUUID();
  let read = 0;
  for (;;) {
    if ((await migrations.countDocuments({ _id: MARKER }, { limit: 1 })) > 0) return read;
    const progress = await takeLease(migrations, me);
    if (progress === undefined) {
      await sleep(POLL_MS);
      continue;
    }
    try {
      read += await runBatches(db.collection(forsendelser), migrations, holds, me, progress.after);
    } finally {
      // Let a waiting node carry on at once should this run have failed (a dead node's
      // lease lapses instead).
      await migrations.updateOne({ _id: PROGRESS, owner: me }, { $set: { until: new Date(0) } }).catch(() => undefined);
    }
  }
}

/** The progress document with this node's lease on it, or undefined while another node's lease holds. */
async function takeLease(migrations: Collection<MigrationDoc>, me: string): Promise<MigrationDoc | undefined> {
  try {
    const taken = await migrations.findOneAndUpdate(
      { _id: PROGRESS, until: { $lt: new Date() } },
      { $set: { owner: me, until: new Date(Date.now() + LEASE_MS) } },
      { upsert: true, returnDocument: 'after' },
    );
    return taken ?? undefined;
  } catch (error) {
    // The document exists and its lease holds: the upsert's insert hit its _id.
    if (isDuplicateKeyError(error)) return undefined;
    throw error;
  }
}

/** Runs batches after `after` until none is left (then writes the marker) or the lease is lost; returns letters read. */
async function runBatches(
  letters: Collection<{ _id: string; view: string }>,
  migrations: Collection<MigrationDoc>,
  holds: MongoBlobHolds,
  me: string,
  after: string | undefined,
): Promise<number> {
  let read = 0;
  for (;;) {
    const filter = after === undefined ? {} : { _id: { $gt: after } };
    const batch = await letters.find(filter, { projection: { view: 1 }, sort: { _id: 1 }, limit: BATCH }).toArray();
    const last = batch.at(-1);
    if (last === undefined) break;
    await holds.claimAll(
      batch.map((doc) => ({ owner: doc._id, sha256s: blobsOfView(JSON.parse(doc.view) as ViewShape) })),
    );
    read += batch.length;
    after = last._id;
    const kept = await migrations.updateOne(
      { _id: PROGRESS, owner: me },
      { $set: { after, until: new Date(Date.now() + LEASE_MS) } },
    );
    // Another node took over (this one stalled past its lease): it carries on from its own read.
    if (kept.matchedCount === 0) return read;
  }
  await migrations.updateOne({ _id: MARKER }, { $setOnInsert: { at: new Date() } }, { upsert: true });
  return read;
}
