/**
 * Blob references for forsendelser stored before reference tracking (cluster mode), the
 * MongoDB counterpart of SQLite's schema step 3 (src/storage/sqlite/migrations.ts).
 * Without it such a letter holds nothing: a refused send or a purge that releases the last
 * hold on a document it shares (the same leaflet) deletes bytes the old letter still
 * serves, and its own purge releases nothing, so its documents are never deleted.
 *
 * Run once per database before the node takes work; a marker document records that it
 * ran. Nodes starting together may both run it: it only adds references, idempotently,
 * and neither serves before its own run has finished.
 */
import type { Db } from 'mongodb';
import type { MongoBlobHolds } from './mongo-blob-holds.js';

/** The marker's collection and id. */
const MIGRATIONS = 'migreringer';
const MARKER = 'blob-referanser-v1';

interface ViewShape {
  readonly dokumenterSlettetAt?: unknown;
  readonly dokumenter?: ReadonlyArray<{ readonly blob?: { readonly sha256?: unknown } }>;
  readonly forsendelsesfil?: { readonly sha256?: unknown };
  readonly printfil?: { readonly sha256?: unknown };
}

/** The blobs a stored view uses, none once its documents are deleted (as the SQLite step reads it). */
export function blobsOfView(view: ViewShape): string[] {
  if (view.dokumenterSlettetAt !== undefined && view.dokumenterSlettetAt !== null) return [];
  const shas = [...(view.dokumenter ?? []).map((d) => d.blob?.sha256), view.forsendelsesfil?.sha256, view.printfil?.sha256];
  return [...new Set(shas.filter((s): s is string => typeof s === 'string'))];
}

/** Gives every stored forsendelse its references unless that was done; returns how many forsendelser it read. */
export async function backfillBlobReferences(db: Db, holds: MongoBlobHolds, forsendelser = 'forsendelser'): Promise<number> {
  const markers = db.collection<{ _id: string; at: Date }>(MIGRATIONS);
  if ((await markers.countDocuments({ _id: MARKER }, { limit: 1 })) > 0) return 0;
  let read = 0;
  const cursor = db.collection<{ _id: string; view: string }>(forsendelser).find({}, { projection: { view: 1 } });
  for await (const doc of cursor) {
    read += 1;
    await holds.claim(doc._id, blobsOfView(JSON.parse(doc.view) as ViewShape));
  }
  await markers.updateOne({ _id: MARKER }, { $setOnInsert: { at: new Date() } }, { upsert: true });
  return read;
}
