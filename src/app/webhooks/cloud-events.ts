/**
 * The CloudEvents 1.0 (structured mode, JSON) a letter's journal events become for its
 * sender's webhooks: one per journal event that changes the status or adds history lines.
 * The id is `<forsendelse-id>.<journal seq>`, so a retry (or a second node) sends the same id
 * and a receiver can drop duplicates.
 */
import type { ForsendelseEvent } from '../../domain/events.js';
import { evolve, type ForsendelseState } from '../../domain/forsendelse-state.js';
import { historyLinesOf } from '../../domain/history.js';
import type { JournalEvent } from '../../storage/ports.js';

/** `type` of an event that changed the status. */
export const STATUS_EVENT_TYPE = 'no.budbringer.forsendelse.status';
/** `type` of an event that only added history (ekspederingslogg) lines. */
export const HISTORY_EVENT_TYPE = 'no.budbringer.forsendelse.hendelse';

/** One event ready for the outbox. */
export interface LetterCloudEvent {
  readonly seq: number;
  /** The journal event's createdAt (epoch ms). */
  readonly journaledAt: number;
  readonly id: string;
  readonly type: string;
  /** The CloudEvent as JSON, exactly as sent. */
  readonly body: string;
}

/** A letter's state after its events, and the CloudEvents of those events. */
export interface LetterEvents {
  readonly state: ForsendelseState | undefined;
  readonly events: readonly LetterCloudEvent[];
}

/** The forsendelse id of a journal key (`forsendelse:<id>`), or undefined for other keys. */
export function forsendelseIdOf(key: string): string | undefined {
  return key.startsWith('forsendelse:') ? key.slice('forsendelse:'.length) : undefined;
}

/** Folds all of a letter's journal events (seq 1 on) into its CloudEvents. */
export function letterCloudEvents(journal: readonly JournalEvent[], source: string): LetterEvents {
  let state: ForsendelseState | undefined;
  const events: LetterCloudEvent[] = [];
  for (const entry of journal) {
    const event = entry.data as unknown as ForsendelseEvent;
    const before = state;
    state = evolve(before, event);
    const lines = historyLinesOf(event, before);
    const statusChanged = before?.status !== state.status;
    if (!statusChanged && lines.length === 0) continue;
    const id = `${state.id}.${entry.seq}`;
    const type = statusChanged ? STATUS_EVENT_TYPE : HISTORY_EVENT_TYPE;
    const cloudEvent = {
      specversion: '1.0',
      id,
      source,
      type,
      subject: state.id,
      time: new Date(event.at).toISOString(),
      datacontenttype: 'application/json',
      data: {
        forsendelseId: state.id,
        avsender: state.avsender,
        eksternref: state.input.eksternref ?? null,
        sekvensnummer: entry.seq,
        hendelsestype: event.type,
        status: state.status,
        forrigeStatus: before?.status ?? null,
        sisteStatusEndring: new Date(state.sisteStatusEndring).toISOString(),
        historikk: lines.map((l) => ({ tidspunkt: new Date(l.at).toISOString(), hendelse: l.hendelse })),
      },
    };
    events.push({ seq: entry.seq, journaledAt: entry.createdAt, id, type, body: JSON.stringify(cloudEvent) });
  }
  return { state, events };
}
