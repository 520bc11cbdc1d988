/**
 * Start-up repair: a crash between "events stored" and "read model updated / jobs queued"
 * leaves a forsendelse whose journal is ahead of its projection. Waking its actor makes it
 * redo both (idempotently). Runs in the background so the node is ready at once.
 */
import type { Logger } from 'pino';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import type { Journal, ReadModel } from '../storage/ports.js';

const PREFIX = 'forsendelse:';

/** Wakes every forsendelse written since `sinceMs` whose projection lags its journal; returns how many. */
export async function reconcileRecent(
  deps: { journal: Journal; readModel: ReadModel; actors: ForsendelseActors; log: Logger },
  sinceMs: number,
): Promise<number> {
  const keys = (await deps.journal.keysAppendedSince(sinceMs)).filter((k) => k.startsWith(PREFIX));
  let repaired = 0;
  for (let i = 0; i < keys.length; i += 500) {
    const batch = keys.slice(i, i + 500).map((k) => k.slice(PREFIX.length));
    const projected = await deps.readModel.projectedSeq(batch);
    for (const id of batch) {
      const journalSeq = await deps.journal.highestSeq(PREFIX + id);
      if (journalSeq > (projected.get(id) ?? 0)) {
        await deps.actors.state(id);
        repaired++;
      }
    }
  }
  if (repaired > 0) deps.log.warn({ repaired }, 'repaired forsendelser whose projection lagged the journal');
  return repaired;
}
