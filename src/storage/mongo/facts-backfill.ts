/**
 * Statistics facts for forsendelser projected before they existed (cluster mode), the
 * MongoDB counterpart of SQLite's schema step 4 (src/storage/sqlite/migrations.ts). A
 * document without `fakta` counts as received and delivered 'annet' until its next event;
 * this gives each its facts from its view, by the domain's own rule.
 *
 * Run once per database when the read model opens; a marker document records that it ran.
 * Nodes starting together may both run it: each update only sets facts on the version it
 * read (same seq, still without facts), so a newer projection is never overwritten.
 */
import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { decodeView, type DecodedView } from '../../domain/record-view.js';
import { statistikkFakta } from '../../domain/statistics-facts.js';
import type { Json } from '../ports.js';
import type { ForsendelseDoc } from './mongo-search.js';

/** The marker's collection and id (the collection blob-refs-backfill.ts uses too). */
const MIGRATIONS = 'migreringer';
const MARKER = 'statistikk-fakta-v1';
const BATCH = 500;

/** Gives every stored forsendelse without facts its facts unless that was done; returns how many it updated. */
export async function backfillStatisticsFacts(db: Db, forsendelser = 'forsendelser'): Promise<number> {
  const markers = db.collection<{ _id: string; at: Date }>(MIGRATIONS);
  if ((await markers.countDocuments({ _id: MARKER }, { limit: 1 })) > 0) return 0;
  const docs = db.collection<ForsendelseDoc>(forsendelser);
  let updated = 0;
  let batch: AnyBulkWriteOperation<ForsendelseDoc>[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const result = await docs.bulkWrite(batch, { ordered: false });
    updated += result.modifiedCount;
    batch = [];
  };
  for await (const doc of docs.find({ fakta: { $exists: false } }, { projection: { _id: 1, seq: 1, view: 1 } })) {
    const decoded = decodeJsonView(doc.view, doc._id);
    // Not a forsendelse's view (never written by this service, or damaged): it keeps counting as 'annet'.
    if (decoded.kind === 'corrupt') continue;
    const fakta = statistikkFakta(decoded.state);
    batch.push({
      updateOne: { filter: { _id: doc._id, seq: doc.seq, fakta: { $exists: false } }, update: { $set: { fakta } } },
    });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  await markers.updateOne({ _id: MARKER }, { $setOnInsert: { at: new Date() } }, { upsert: true });
  return updated;
}

/** The stored view text decoded with its check; text that is not JSON is a corrupt view. */
function decodeJsonView(text: string, id: string): DecodedView {
  let view: Json;
  try {
    view = JSON.parse(text) as Json;
  } catch {
    return { kind: 'corrupt', problem: 'the view is not JSON' };
  }
  return decodeView(view, id);
}
