/**
 * Fields derived from the view, for forsendelser projected before the field existed (cluster
 * mode), the MongoDB counterpart of SQLite's schema steps (src/storage/sqlite/migrations.ts):
 * - statistics facts (step 4): a document without `fakta` counts as received and delivered
 *   'annet' until its next event; and the facts of letters that ended IKKE_LEVERT, which
 *   code of 4–6 December 2026 counted as delivered digitally;
 * - the receiving system a letter waits for (`svarinnSystem`): a letter waiting in SvarInn
 *   without it would not be found by its system's poll until its next event.
 * Each is given from the view by the domain's own rule.
 *
 * Each runs once per database when the read model opens; a marker document records that it
 * ran. Nodes starting together may both run it: each update only sets the field on the
 * version it read (same seq, still without it), so a newer projection is never overwritten.
 */
import type { AnyBulkWriteOperation, Db, Filter } from 'mongodb';
import { awaitsSvarInn } from '../../domain/delivery-rules.js';
import type { ForsendelseEvent } from '../../domain/events.js';
import { evolve, type ForsendelseState } from '../../domain/forsendelse-state.js';
import { decodeView, type DecodedView } from '../../domain/record-view.js';
import { statistikkFakta } from '../../domain/statistics-facts.js';
import type { Json } from '../ports.js';
import type { ForsendelseDoc } from './mongo-search.js';

/** The marker's collection (the collection blob-refs-backfill.ts uses too). */
const MIGRATIONS = 'migreringer';
const BATCH = 500;

/** Gives every stored forsendelse without facts its facts unless that was done; returns how many it updated. */
export function backfillStatisticsFacts(db: Db, forsendelser = 'forsendelser'): Promise<number> {
  return backfillFromViews(db, forsendelser, {
    marker: 'statistikk-fakta-v1',
    missing: { fakta: { $exists: false } },
    derive: (state) => ({ fakta: statistikkFakta(state) }),
  });
}

/**
 * Gives the letters that ended IKKE_LEVERT without print the facts of today's rule: code of
 * 4–6 December 2026 counted them as delivered digitally where a channel had been chosen
 * (the SQLite counterpart is a correction in migrations.ts).
 */
export function backfillUndeliveredFacts(db: Db, forsendelser = 'forsendelser'): Promise<number> {
  return backfillFromViews(db, forsendelser, {
    marker: 'statistikk-fakta-ikke-levert-v2',
    missing: { status: 'IKKE_LEVERT', 'fakta.levering': 'digitalt' },
    derive: (state) => ({ fakta: statistikkFakta(state) }),
  });
}

/** Gives every letter waiting in SvarInn the system it waits for unless that was done; returns how many it updated. */
export function backfillSvarInnSystem(db: Db, forsendelser = 'forsendelser'): Promise<number> {
  return backfillFromViews(db, forsendelser, {
    marker: 'svarinn-system-v1',
    missing: { status: 'KLAR_FOR_MOTTAK', svarinnSystem: { $exists: false } },
    derive: (state) => (awaitsSvarInn(state) ? { svarinnSystem: state.mottakersystem } : undefined),
  });
}

/** One field set on the documents `missing` it, from their views by `derive` (undefined: left as it is). */
async function backfillFromViews(
  db: Db,
  forsendelser: string,
  step: {
    readonly marker: string;
    readonly missing: Filter<ForsendelseDoc>;
    readonly derive: (state: ForsendelseState) => Partial<ForsendelseDoc> | undefined;
  },
): Promise<number> {
  const markers = db.collection<{ _id: string; at: Date }>(MIGRATIONS);
  if ((await markers.countDocuments({ _id: step.marker }, { limit: 1 })) > 0) return 0;
  const docs = db.collection<ForsendelseDoc>(forsendelser);
  let updated = 0;
  let batch: AnyBulkWriteOperation<ForsendelseDoc>[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const result = await docs.bulkWrite(batch, { ordered: false });
    updated += result.modifiedCount;
    batch = [];
  };
  for await (const doc of docs.find(step.missing, { projection: { _id: 1, seq: 1, view: 1 } })) {
    const decoded = decodeJsonView(doc.view, doc._id);
    // A damaged view is rebuilt from the journal, as reads do (src/app/view-checked-read-model.ts);
    // without events it is left as it is.
    const state = decoded.kind === 'corrupt' ? await replayed(db, doc._id) : decoded.state;
    if (state === undefined) continue;
    const set = step.derive(state);
    if (set === undefined) continue;
    batch.push({ updateOne: { filter: { ...step.missing, _id: doc._id, seq: doc.seq }, update: { $set: set } } });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  await markers.updateOne({ _id: step.marker }, { $setOnInsert: { at: new Date() } }, { upsert: true });
  return updated;
}

/** The forsendelse replayed from its events in the journal (`events`, mongo-journal.ts), if it has any. */
async function replayed(db: Db, id: string): Promise<ForsendelseState | undefined> {
  let state: ForsendelseState | undefined;
  const events = db.collection<{ key: string; seq: number; json: string }>('events');
  for await (const e of events.find({ key: `forsendelse:${id}` }).sort({ seq: 1 })) {
    state = evolve(state, JSON.parse(e.json) as ForsendelseEvent);
  }
  return state;
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
