/**
 * The read-model record of a forsendelse: indexed columns for search plus the whole
 * state as its view (the state is plain JSON, stamped with its version).
 */
import { awaitsSvarInn } from './delivery-rules.js';
import type { ForsendelseState } from './forsendelse-state.js';
import { mottakerIdOf } from './mottaker.js';
import { CorruptViewError, decodeView, encodeView } from './record-view.js';
import { statistikkFakta } from './statistics-facts.js';
import type { ForsendelseRecord } from '../storage/ports.js';

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
    svarinnSystem: awaitsSvarInn(state) ? state.mottakersystem : undefined,
    seq,
    view: encodeView(state),
    fakta: statistikkFakta(state),
  };
}

/**
 * The state stored as a record's view, checked and migrated (src/domain/record-view.ts);
 * throws CorruptViewError for a view that fails its check. Readers get records through
 * the view-checking read model, which has already rebuilt a corrupt view from the journal.
 */
export function fromRecord(record: ForsendelseRecord): ForsendelseState {
  const decoded = decodeView(record.view, record.id);
  if (decoded.kind === 'corrupt') throw new CorruptViewError(record.id, decoded.problem);
  return decoded.state;
}
