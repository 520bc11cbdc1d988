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
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import { fromRecord } from '../domain/record.js';
import { formatOsloTimestamp } from '../domain/time/index.js';
import type { MottakersystemRegister, ReadModel } from '../storage/ports.js';

/** What the check needs. */
export interface SvarInnWarningDeps {
  readonly readModel: Pick<ReadModel, 'idsByStatus' | 'getMany'>;
  readonly register: Pick<MottakersystemRegister, 'get' | 'claimWarning'>;
  readonly email: EmailSender;
  /** How long a letter may wait unfetched before its system is warned. */
  readonly afterMs: number;
  readonly now: () => number;
  /** Wakes a letter's actor, which queues the work its state waits for. */
  readonly wake?: (id: string) => Promise<unknown>;
}

/** At most this many warnings per system in a day, this far apart. */
export const WARNING_RULE = { windowMs: 24 * 3600_000, max: 3, minGapMs: 2 * 3600_000 } as const;
/** Letters looked at per check (the oldest waiting first). */
const MAX_LETTERS = 10_000;

/** Looks for unfetched letters and warns their systems; returns how many warnings were sent. */
export async function warnUnfetchedSvarInn(deps: SvarInnWarningDeps): Promise<number> {
  const now = deps.now();
  const ids = await deps.readModel.idsByStatus(['KLAR_FOR_MOTTAK'], MAX_LETTERS);
  const waiting = new Map<string, ForsendelseState[]>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const record of await deps.readModel.getMany(ids.slice(i, i + 500))) {
      const state = fromRecord(record);
      if (strandedInSvarInn(state)) await deps.wake?.(state.id);
      if (!awaitsSvarInn(state) || state.hentetAvMottakersystemAt !== undefined) continue;
      if (state.sisteStatusEndring > now - deps.afterMs) continue;
      const list = waiting.get(state.mottakersystem as string) ?? [];
      list.push(state);
      waiting.set(state.mottakersystem as string, list);
    }
  }
  let sent = 0;
  for (const [id, letters] of waiting) {
    const system = await deps.register.get(id);
    if (system?.epost === undefined) continue;
    if (!(await deps.register.claimWarning(id, now, WARNING_RULE))) continue;
    const oldest = Math.min(...letters.map((l) => l.sisteStatusEndring));
    await deps.email.send({
      to: system.epost,
      subject: `Budbringer: ${letters.length} forsendelse${letters.length === 1 ? '' : 'r'} venter på ${system.navn}`,
      text: [
        `Mottakersystemet «${system.navn}» (organisasjonsnummer ${system.orgnr}) har ${letters.length} forsendelse${letters.length === 1 ? '' : 'r'} i SvarInn som ikke er hentet.`,
        `Den eldste har ventet siden ${formatOsloTimestamp(oldest)}.`,
        '',
        'Kontroller at systemet henter forsendelser (GET /tjenester/svarinn/mottaker/hentNyeForsendelser) og kvitterer for dem.',
        `Mottakersystemets id: ${system.id}`,
      ].join('\n'),
    });
    sent++;
  }
  return sent;
}
