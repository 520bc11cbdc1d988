/**
 * The warning of unfetched SvarInn letters (docs/interfaces.md §11: "after 2 h without
 * download a warning mail is sent, 3×/day"): a letter waiting for its receiving system
 * longer than `after` without a download warns the system's contact by e-mail, at most
 * three times a day and two hours apart per system, whichever node runs the check (the
 * register records each warning atomically before it is sent). A letter stranded there (its
 * files deleted before anyone fetched it, by a version that left it waiting) is woken
 * instead: its actor queues the purge that ends it IKKE_LEVERT (docs/interfaces.md §11).
 */
import type { EmailSender } from '../channels/notify/email-sender.js';
import { awaitsSvarInn, strandedInSvarInn } from '../domain/delivery-rules.js';
import { fromRecord } from '../domain/record.js';
import { formatOsloTimestamp } from '../domain/time/index.js';
import type { MottakersystemRegister, ReadModel } from '../storage/ports.js';

/** What the check needs. */
export interface SvarInnWarningDeps {
  readonly readModel: Pick<ReadModel, 'idsByStatus' | 'getMany' | 'search'>;
  readonly register: Pick<MottakersystemRegister, 'list' | 'claimWarning'>;
  readonly email: EmailSender;
  /** How long a letter may wait unfetched before its system is warned. */
  readonly afterMs: number;
  readonly now: () => number;
  /**
   * Wakes a letter's actor, which queues the work its state waits for. Given, the check also
   * looks for stranded letters (left by an older version; the node's first check does).
   */
  readonly wake?: (id: string) => Promise<unknown>;
}

/** At most this many warnings per system in a day, this far apart. */
export const WARNING_RULE = { windowMs: 24 * 3600_000, max: 3, minGapMs: 2 * 3600_000 } as const;
/** Letters looked at in the sweep for stranded ones (the oldest waiting first). */
const MAX_LETTERS = 10_000;
/** A system's oldest waiting letters looked at for one not downloaded in time. */
const OLDEST = 200;

/**
 * Warns each system with a letter not downloaded within `afterMs`; returns how many warnings
 * were sent. Each system's own waiting letters are read, the oldest first (until 7 December
 * 2026 the 10 000 oldest of the whole installation were, and one system's backlog kept every
 * other system from being warned; found in review).
 */
export async function warnUnfetchedSvarInn(deps: SvarInnWarningDeps): Promise<number> {
  const now = deps.now();
  if (deps.wake !== undefined) await wakeStranded(deps, deps.wake);
  let sent = 0;
  for (const system of await deps.register.list()) {
    if (system.epost === undefined) continue;
    const oldest = await deps.readModel.search({
      svarinnSystem: system.id,
      status: ['KLAR_FOR_MOTTAK'],
      oldestFirst: true,
      limit: OLDEST,
      offset: 0,
    });
    const late = oldest.items
      .map(fromRecord)
      .filter(
        (state) =>
          awaitsSvarInn(state) &&
          state.hentetAvMottakersystemAt === undefined &&
          state.sisteStatusEndring <= now - deps.afterMs,
      );
    if (late.length === 0) continue;
    if (!(await deps.register.claimWarning(system.id, now, WARNING_RULE))) continue;
    const since = Math.min(...late.map((l) => l.sisteStatusEndring));
    const n = oldest.total;
    await deps.email.send({
      to: system.epost,
      subject: `Budbringer: ${n} forsendelse${n === 1 ? '' : 'r'} venter på ${system.navn}`,
      text: [
        `Mottakersystemet «${system.navn}» (organisasjonsnummer ${system.orgnr}) har ${n} forsendelse${n === 1 ? '' : 'r'} som venter i SvarInn.`,
        `Den eldste som ikke er hentet, har ventet siden ${formatOsloTimestamp(since)}.`,
        '',
        'Kontroller at systemet henter forsendelser (GET /tjenester/svarinn/mottaker/hentNyeForsendelser) og kvitterer for dem.',
        `Mottakersystemets id: ${system.id}`,
      ].join('\n'),
    });
    sent++;
  }
  return sent;
}

/** Wakes the letters stranded in SvarInn (files deleted, never fetched) among the oldest waiting. */
async function wakeStranded(deps: SvarInnWarningDeps, wake: (id: string) => Promise<unknown>): Promise<void> {
  const ids = await deps.readModel.idsByStatus(['KLAR_FOR_MOTTAK'], MAX_LETTERS);
  for (let i = 0; i < ids.length; i += 500) {
    for (const record of await deps.readModel.getMany(ids.slice(i, i + 500))) {
      const state = fromRecord(record);
      if (strandedInSvarInn(state)) await wake(state.id);
    }
  }
}
