/**
 * Repair: a crash (or a failed queue call) between "events stored" and "read model updated /
 * jobs queued" leaves a forsendelse whose journal is ahead of its projection. Waking its
 * actor makes it redo both (idempotently). Every node runs it at start over the last day,
 * in the background so the node is ready at once; worker nodes then sweep the recent
 * journal every REPAIR_INTERVAL_MS, so the work of a node that died mid-command in a
 * cluster is picked up without waiting for a restart.
 */
import type { Logger } from 'pino';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import type { Journal, ReadModel } from '../storage/ports.js';
import { type PeriodicTask, startPeriodicTask } from './periodic-task.js';

const PREFIX = 'forsendelse:';

/** What repair needs. */
export interface RepairDeps {
  readonly journal: Journal;
  readonly readModel: ReadModel;
  readonly actors: ForsendelseActors;
  readonly log: Logger;
}

/** How many repaired ids one log line names, so the operator can look the first ones up. */
const IDS_LOGGED = 20;

/** Wakes every forsendelse written since `sinceMs` whose projection lags its journal; returns how many. */
export async function reconcileRecent(deps: RepairDeps, sinceMs: number): Promise<number> {
  const keys = (await deps.journal.keysAppendedSince(sinceMs)).filter((k) => k.startsWith(PREFIX));
  const ids: string[] = [];
  let repaired = 0;
  for (let i = 0; i < keys.length; i += 500) {
    const batch = keys.slice(i, i + 500).map((k) => k.slice(PREFIX.length));
    const projected = await deps.readModel.projectedSeq(batch);
    for (const id of batch) {
      const journalSeq = await deps.journal.highestSeq(PREFIX + id);
      if (journalSeq > (projected.get(id) ?? 0)) {
        await deps.actors.state(id);
        if (ids.length < IDS_LOGGED) ids.push(id);
        repaired++;
      }
    }
  }
  if (repaired > 0) deps.log.warn({ repaired, ids }, 'repaired forsendelser whose projection lagged the journal');
  return repaired;
}

/**
 * Sweeps every `intervalMs` what was appended since the previous sweep began, less one
 * interval of overlap, so a write that landed while a sweep ran is seen by the next one.
 */
export function startRepairSweep(deps: RepairDeps, intervalMs: number, now: () => number): PeriodicTask {
  let since = now() - intervalMs;
  return startPeriodicTask(
    async () => {
      const startedAt = now();
      await reconcileRecent(deps, since - intervalMs);
      since = startedAt;
    },
    intervalMs,
    (err) => deps.log.error({ err }, 'repair sweep failed'),
    { runNow: false },
  );
}
