/**
 * Builds the admin search (ForsendelseQuery) as a MongoDB filter, with the same meaning
 * as the SQLite adapter: all filters combined with AND, an empty list matches nothing,
 * an empty text filter is no filter, text filters are case-insensitive substrings.
 */
import type { Filter } from 'mongodb';
import type { StatistikkFakta } from '../../domain/statistics-facts.js';
import type { ForsendelseQuery } from '../ports.js';

/** A stored read-model document (see mongo-read-model.ts). */
export interface ForsendelseDoc {
  _id: string;
  avsender: string;
  status: string;
  sisteStatusEndring: number;
  mottattAt: number;
  tittel: string;
  /** tittel case-folded for search (see foldCase). */
  tittelLc: string;
  eksternref?: string;
  mottakerNavn?: string;
  /** mottakerNavn case-folded for search. */
  mottakerNavnLc?: string;
  mottakerId?: string;
  kanal?: string;
  /** The receiving system a letter waits for (SvarInn), while it does. */
  svarinnSystem?: string;
  seq: number;
  /** The domain's view as JSON text (exact round trip, see mongo-journal.ts). */
  view: string;
  /** Statistics facts, summed by mongo-statistics.ts; absent on records stored without. */
  fakta?: StatistikkFakta;
}

/**
 * Case folding for search, applied to the stored field and to the query alike (as the
 * SQLite adapter does). Matching folded text with a plain regex does not depend on the
 * server's regex engine folding 'Ø' to 'ø', and needs no per-query 'i' option.
 */
export function foldCase(text: string): string {
  return text.toLowerCase();
}

/** Escapes every regular-expression metacharacter so user text matches itself. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A case-insensitive "contains" condition on a folded field. */
function contains(text: string): { $regex: string } {
  return { $regex: escapeRegex(foldCase(text)) };
}

/** The filter for `query`, or undefined when it can match nothing (an empty list filter). */
export function buildSearchFilter(query: ForsendelseQuery): Filter<ForsendelseDoc> | undefined {
  const filter: Filter<ForsendelseDoc> = {};
  if (query.id !== undefined) filter._id = query.id;
  if (query.avsendere !== undefined) {
    // An empty list is "no avsender at all": a local admin without any sees nothing.
    if (query.avsendere.length === 0) return undefined;
    filter.avsender = { $in: [...query.avsendere] };
  }
  if (query.status !== undefined) {
    if (query.status.length === 0) return undefined;
    filter.status = { $in: [...query.status] };
  }
  if (query.fra !== undefined || query.til !== undefined) {
    filter.mottattAt = {
      ...(query.fra === undefined ? {} : { $gte: query.fra }),
      ...(query.til === undefined ? {} : { $lt: query.til }),
    };
  }
  if (query.mottakerNavn !== undefined && query.mottakerNavn !== '')
    filter.mottakerNavnLc = contains(query.mottakerNavn);
  if (query.mottakerId !== undefined) filter.mottakerId = query.mottakerId;
  if (query.svarinnSystem !== undefined) filter.svarinnSystem = query.svarinnSystem;
  if (query.manuellPrint !== undefined) filter['fakta.manuellPrint'] = query.manuellPrint ? true : { $ne: true };
  if (query.tittel !== undefined && query.tittel !== '') filter.tittelLc = contains(query.tittel);
  if (query.eksternref !== undefined) filter.eksternref = query.eksternref;
  return filter;
}
