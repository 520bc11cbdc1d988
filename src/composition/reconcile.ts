/**
 * Repair: a crash (or a failed queue call) between "events stored" and "read model updated /
 * jobs queued" leaves a forsendelse whose journal is ahead of its projection. Waking its
 * actor makes it redo both (idempotently). Every node runs it at start over the last day,
 * in the background so the node is ready at once; worker nodes then sweep the recent
 * journal every REPAIR_INTERVAL_MS, so the work of a node that died mid-command in a
 * cluster is picked up without waiting for a restart.
 */
import { setTimeout as sleep } from 'node:timers/promises';
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

/**
 * How long a letter's projection may lag its journal before it counts as left behind: in
 * cluster mode every write stores its events first and its record a moment later, so a sweep
 * that catches a write in flight (on this node or another) would "repair" a healthy letter
 * and warn of a crash that did not happen (found in review). Writes wait for the job queue at
 * most DEFAULT_SETTLE_MS (5 s) before they give the rest up to repair.
 */
export const REPAIR_GRACE_MS = 6_000;

/** The grace for `storage`: none where a letter's change is one transaction (SQLite), so a lag is a crash's. */
export function repairGraceMs(storage: { readonly mode: 'embedded' | 'cluster' }): number {
  return storage.mode === 'cluster' ? REPAIR_GRACE_MS : 0;
}

/** The ids among `ids` whose journal is ahead of their record. */
async function lagging(deps: RepairDeps, ids: readonly string[]): Promise<string[]> {
  const projected = await deps.readModel.projectedSeq(ids);
  const behind: string[] = [];
  for (const id of ids) {
    if ((await deps.journal.highestSeq(PREFIX + id)) > (projected.get(id) ?? 0)) behind.push(id);
  }
  return behind;
}

/**
 * Wakes every forsendelse written since `sinceMs` whose projection lags its journal, and still
 * lags `graceMs` later; returns how many.
 */
export async function reconcileRecent(deps: RepairDeps, sinceMs: number, graceMs = REPAIR_GRACE_MS): Promise<number> {
  const keys = (await deps.journal.keysAppendedSince(sinceMs)).filter((k) => k.startsWith(PREFIX));
  const ids: string[] = [];
  let repaired = 0;
  for (let i = 0; i < keys.length; i += 500) {
    let behind = await lagging(
      deps,
      keys.slice(i, i + 500).map((k) => k.slice(PREFIX.length)),
    );
    if (behind.length > 0 && graceMs > 0) {
      await sleep(graceMs);
      behind = await lagging(deps, behind);
    }
    for (const id of behind) {
      await deps.actors.state(id);
      if (ids.length < IDS_LOGGED) ids.push(id);
      repaired++;
    }
  }
  if (repaired > 0) deps.log.warn({ repaired, ids }, 'repaired forsendelser whose projection lagged the journal');
  return repaired;
}

/**
 * Sweeps every `intervalMs` what was appended since the previous sweep began, less one
 * interval of overlap, so a write that landed while a sweep ran is seen by the next one.
 */
export function startRepairSweep(
  deps: RepairDeps,
  intervalMs: number,
  now: () => number,
  graceMs = REPAIR_GRACE_MS,
): PeriodicTask {
  let since = now() - intervalMs;
  return startPeriodicTask(
    async () => {
      const startedAt = now();
      await reconcileRecent(deps, since - intervalMs, graceMs);
      since = startedAt;
    },
    intervalMs,
    (err) => deps.log.error({ err }, 'repair sweep failed'),
    { runNow: false },
  );
}
