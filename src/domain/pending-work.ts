/**
 * Which side effects a forsendelse still needs, derived from its state alone. The actor
 * enqueues these as jobs with deterministic ids after every change and whenever it wakes,
 * so a crash between "event stored" and "job queued" loses nothing, and a retry never
 * queues twice.
 */
import {
  awaitsPrintDeadline,
  awaitsSvarInn,
  needsDigitalFile,
  needsNotification,
  needsPrint,
  needsReminder,
  notificationStopped,
  printStopped,
  strandedInSvarInn,
} from './delivery-rules.js';
import { isFinal, type ForsendelseState } from './forsendelse-state.js';

/** Kinds of work a forsendelse may wait for; each is one job type in `src/jobs/`. */
export type WorkKind = 'compose' | 'route' | 'notify' | 'reminder' | 'deadline' | 'print' | 'purge';

/** One piece of outstanding work and when it is due (epoch ms; now when absent). */
export interface PendingWork {
  readonly kind: WorkKind;
  /** Tells apart runs of one kind that a letter may need more than once (the files built later). */
  readonly key?: string;
  readonly runAt?: number;
}

/** Settings the work depends on (from config, passed in: the domain reads no clock or env). */
export interface WorkPolicy {
  /** When the documents of a letter sent at `sentAt` are purged. */
  readonly purgeAt: (sentAt: number) => number;
  /** Milliseconds before the print deadline to remind the recipient; undefined = no reminder. */
  readonly reminderBeforeMs?: number;
}

/** The work `state` still waits for. */
export function pendingWork(state: ForsendelseState, policy: WorkPolicy): PendingWork[] {
  const work: PendingWork[] = [];
  // The notice waits for the file the inbox serves: the compose job builds it first.
  const fileMissing = needsDigitalFile(state);
  if (state.status === 'MOTTATT') work.push({ kind: 'compose' });
  else if (fileMissing) work.push({ kind: 'compose', key: 'forsendelsesfil' });
  if (state.status === 'AKSEPTERT' && state.kanal === undefined) work.push({ kind: 'route' });
  if (needsNotification(state) && !fileMissing) work.push({ kind: 'notify' });
  if (awaitsPrintDeadline(state) && state.fristAt !== undefined) {
    work.push({ kind: 'deadline', runAt: state.fristAt });
    const remindAt = policy.reminderBeforeMs === undefined ? undefined : state.fristAt - policy.reminderBeforeMs;
    // Not for a letter notified after its reminder time (a notification retried late): the
    // reminder would follow the notice at once.
    if (remindAt !== undefined && needsReminder(state) && remindAt > (state.varsletAt ?? 0)) {
      work.push({ kind: 'reminder', runAt: remindAt });
    }
  }
  if (needsPrint(state)) work.push({ kind: 'print' });
  // Retention counts from sending; a letter that ended without being sent (read before
  // routing, closed by hand) counts from when it ended.
  const retentionFrom = state.sendtAt ?? (isFinal(state) ? state.sisteStatusEndring : undefined);
  // A letter waiting in SvarInn stays available until its receiving system takes it (docs/interfaces.md §11).
  if (retentionFrom !== undefined && state.dokumenterSlettetAt === undefined && !awaitsSvarInn(state)) {
    work.push({ kind: 'purge', runAt: policy.purgeAt(retentionFrom) });
  }
  // Left in SvarInn, or due for print, by a deletion before such a letter ended IKKE_LEVERT:
  // the purge's deletion ends it now.
  if (strandedInSvarInn(state) || printStopped(state) || notificationStopped(state)) work.push({ kind: 'purge' });
  // A print copy recorded after its sender deleted the documents (a hand-over under way then)
  // is claimed by the record: released again at once, as the deletion released the rest.
  else if (
    state.dokumenterSlettetAt !== undefined &&
    state.sendtPrintAt !== undefined &&
    state.sendtPrintAt >= state.dokumenterSlettetAt
  ) {
    work.push({ kind: 'purge', key: 'etter-print' });
  }
  return work;
}
