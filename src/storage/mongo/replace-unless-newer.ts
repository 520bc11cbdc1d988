/**
 * One guarded write for documents keyed by `_id` and ordered by `seq` (read-model records,
 * journal snapshots): replace the stored document only if it is older, insert it if none is
 * stored. With a newer one stored the filter matches nothing and the upsert's insert fails
 * E11000, which means "a newer one is there": done. Two nodes racing to insert a key's
 * first document fail the same way, and then the winner may be the older one — so the
 * stored seq decides, and the guard is re-run.
 */
import type { Collection, Filter, WithoutId } from 'mongodb';
import { isDuplicateKeyError } from './mongo-errors.js';

/** Tries before a lost insert race is reported. */
const ATTEMPTS = 5;

/** Stores `doc` unless a newer one is stored: one with a higher seq, or (without `replaceEqual`) an equal one. */
export async function replaceUnlessNewer<D extends { _id: string; seq: number }>(
  collection: Collection<D>,
  doc: D,
  { replaceEqual }: { replaceEqual: boolean },
): Promise<void> {
  const guard = { _id: doc._id, seq: replaceEqual ? { $lte: doc.seq } : { $lt: doc.seq } } as unknown as Filter<D>;
  for (let attempt = 1; ; attempt++) {
    try {
      await collection.replaceOne(guard, doc as unknown as WithoutId<D>, { upsert: true });
      return;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const stored = await collection.findOne({ _id: doc._id } as Filter<D>, { projection: { seq: 1 } });
      if (stored !== null && stored.seq >= doc.seq) return;
      if (attempt >= ATTEMPTS) throw error;
    }
  }
}
