/**
 * The read-model record of a forsendelse: indexed columns for search plus the whole
 * state as its view (the state is plain JSON).
 */
import type { ForsendelseState } from './forsendelse-state.js';
import { mottakerIdOf } from './mottaker.js';
import { statistikkFakta } from './statistics-facts.js';
import type { ForsendelseRecord, Json } from '../storage/ports.js';

/** The record to store for `state` after `seq` events. */
export function toRecord(state: ForsendelseState, seq: number): ForsendelseRecord {
  const mottaker = state.input.mottaker;
  const digital = mottaker?.digitalAdresse;
  return {
    id: state.id,
    avsender: state.avsender,
    status: state.status,
    sisteStatusEndring: state.sisteStatusEndring,
    mottattAt: state.mottattAt,
    tittel: state.input.tittel,
    eksternref: state.input.eksternref,
    mottakerNavn: mottaker?.postAdresse?.navn,
    mottakerId: mottakerIdOf(digital),
    kanal: state.kanal,
    seq,
    view: state as unknown as Json,
    fakta: statistikkFakta(state),
  };
}

/** The state stored as a record's view. */
export function fromRecord(record: ForsendelseRecord): ForsendelseState {
  return record.view as unknown as ForsendelseState;
}
