/**
 * The stored view of a forsendelse, versioned and decoded with a check. The read model
 * keeps the state as JSON; a view is stamped with VIEW_VERSION when written, and decoding
 * checks its shape instead of trusting a cast: a view of an older version is migrated by a
 * pure function, a view that fails the check is reported as corrupt (the caller rebuilds it
 * from the journal, which is the source of truth).
 */
import { z } from 'zod';
import type { Json } from '../storage/ports.js';
import type { ForsendelseState } from './forsendelse-state.js';
import { BudbringerError } from './errors.js';
import { FORSENDELSE_STATUSES } from './model.js';

/**
 * The version written today. 1: views written before views carried a version (no
 * `viewVersion` key; the same state shape). 2: stamped with `viewVersion`.
 */
export const VIEW_VERSION = 2;

/** The key of the version in a stored view. */
const VERSION_KEY = 'viewVersion';

/** What decoding a stored view gives. */
export type DecodedView =
  | { readonly kind: 'current'; readonly state: ForsendelseState }
  | { readonly kind: 'migrated'; readonly from: number; readonly state: ForsendelseState }
  | { readonly kind: 'corrupt'; readonly problem: string };

const epochMs = z.number().finite();

/**
 * The parts of the state that every reader relies on, checked field by field; the optional
 * steps of delivery are checked where present. Unknown keys pass (a newer node may add
 * optional fields a reader of this version ignores).
 */
const stateSchema = z
  .object({
    id: z.string().min(1),
    avsender: z.string().min(1),
    status: z.enum(FORSENDELSE_STATUSES),
    sisteStatusEndring: epochMs,
    mottattAt: epochMs,
    input: z.object({ tittel: z.string() }).passthrough(),
    dokumenter: z.array(z.object({ filnavn: z.string() }).passthrough()),
    historikk: z.array(z.object({}).passthrough()),
    kanal: z.string().optional(),
    varsletAt: epochMs.optional(),
    lestAt: epochMs.optional(),
    sendtAt: epochMs.optional(),
    dokumenterSlettetAt: epochMs.optional(),
  })
  .passthrough();

/**
 * Pure migrations of older views to the next version, by the version they start from.
 * 1 → 2: the shape is unchanged; the view gains its version stamp.
 */
const MIGRATIONS: Readonly<Record<number, (view: Record<string, Json>) => Record<string, Json>>> = {
  1: (view) => ({ ...view, [VERSION_KEY]: 2 }),
};

/** The view to store for `state`: the state's JSON stamped with VIEW_VERSION. */
export function encodeView(state: ForsendelseState): Json {
  return { ...(state as unknown as Record<string, Json>), [VERSION_KEY]: VIEW_VERSION };
}

/** Decodes a stored view of forsendelse `id`: checked, migrated from an older version, or corrupt. */
export function decodeView(view: Json, id: string): DecodedView {
  if (typeof view !== 'object' || view === null || Array.isArray(view))
    return { kind: 'corrupt', problem: 'the view is not a JSON object' };
  const stamped = view[VERSION_KEY];
  const from = stamped === undefined ? 1 : stamped;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1 || from > VIEW_VERSION) {
    return { kind: 'corrupt', problem: `unknown view version ${JSON.stringify(stamped)}` };
  }
  let current: Record<string, Json> = view;
  for (let v = from; v < VIEW_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (migrate === undefined) return { kind: 'corrupt', problem: `no migration from view version ${v}` };
    current = migrate(current);
  }
  const checked = stateSchema.safeParse(current);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { kind: 'corrupt', problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
  }
  if (checked.data.id !== id) return { kind: 'corrupt', problem: `the view belongs to ${checked.data.id}` };
  const { [VERSION_KEY]: _version, ...state } = checked.data;
  // The checked fields are the state's; the rest passed through as stored by toRecord.
  const decoded = state as unknown as ForsendelseState;
  return from === VIEW_VERSION ? { kind: 'current', state: decoded } : { kind: 'migrated', from, state: decoded };
}

/** A stored view failed its check and could not be rebuilt: a server fault, answered 500. */
export class CorruptViewError extends BudbringerError {
  constructor(
    readonly forsendelseId: string,
    readonly problem: string,
  ) {
    super('INTERN_FEIL', `Lagret visning av forsendelse ${forsendelseId} er skadet (${problem})`, 500);
  }
}
