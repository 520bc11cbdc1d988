/**
 * Print receipts from a print provider (docs/architecture.md step 8), all or nothing (issue 13): every
 * receipt of a list is checked first — well-formed, bounded, its letter known, sent to print
 * through this provider's channel and waiting for a receipt — and only then are they all
 * applied. A list with one bad entry changes nothing and names the entry and the reason.
 */
import { z } from 'zod';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import { BudbringerError, ConflictError, ValidationError, type FieldProblem } from '../domain/errors.js';
import type { PrintKvittering } from '../domain/model.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import { printReceiptRefusal, type PrintLeverandor } from '../domain/print-receipt.js';
import { fromRecord } from '../domain/record.js';
import { KONTERINGSKODE_V2_V3 } from '../domain/validation/index.js';
import type { ReadModel } from '../storage/ports.js';

/** Most receipts in one list: a day's print run of a large municipality, and a bound on the work one request asks for. */
export const MAX_RECEIPTS = 10_000;

/** Bounds of the figures: far above any real letter, far below what breaks a sum. */
export const RECEIPT_BOUNDS = {
  sider: 100_000,
  konvolutter: 1_000,
  ark: 100_000,
  /** Grams: 1 000 kg. */
  vekt: 1_000_000,
  /** Øre: 1 000 000 kr. */
  ore: 100_000_000,
  konteringskode: 20,
} as const;

/** How far a print time may lie ahead of our clock (the provider's clock may run fast). */
const CLOCK_SKEW_MS = 5 * 60_000;

const figure = (label: string, max: number) =>
  z
    .number({ error: `«${label}» må være et tall` })
    .int({ error: `«${label}» må være et heltall` })
    .min(0, { error: `«${label}» kan ikke være negativ` })
    .max(max, { error: `«${label}» kan være høyst ${max}` });

const receiptSchema = z.object({
  forsendelseId: z.string({ error: '«forsendelseId» mangler' }).uuid({ error: '«forsendelseId» må være en UUID' }),
  sider: figure('sider', RECEIPT_BOUNDS.sider),
  fargesider: figure('fargesider', RECEIPT_BOUNDS.sider).default(0),
  konvolutter: figure('konvolutter', RECEIPT_BOUNDS.konvolutter).default(1),
  ark: figure('ark', RECEIPT_BOUNDS.ark),
  vekt: figure('vekt', RECEIPT_BOUNDS.vekt),
  porto: figure('porto', RECEIPT_BOUNDS.ore),
  produksjonskostnad: figure('produksjonskostnad', RECEIPT_BOUNDS.ore),
  konteringskode: z
    .string({ error: '«konteringskode» må være tekst' })
    .max(RECEIPT_BOUNDS.konteringskode, {
      error: `«konteringskode» kan være høyst ${RECEIPT_BOUNDS.konteringskode} tegn`,
    })
    // The letter's own code comes back: the same characters (no control, format or
    // direction characters, which would reach statistics and CSV exports).
    .regex(KONTERINGSKODE_V2_V3, {
      error: '«konteringskode» kan bare inneholde bokstaver (a–å), tall, punktum, bindestrek og understrek',
    })
    .optional(),
  /** ISO-8601; now when absent. */
  printetTidspunkt: z
    .string({ error: '«printetTidspunkt» må være tekst' })
    .max(40)
    .datetime({ offset: true, error: '«printetTidspunkt» må være et ISO-8601-tidspunkt' })
    .optional(),
});

/** One receipt as read from the wire, checked. */
export type ReceiptInput = z.infer<typeof receiptSchema>;

/** The refusal of a whole list, naming each bad entry by its index (0-based) and the reason. */
function refuse(problems: FieldProblem[]): never {
  throw new ValidationError(problems.slice(0, 20));
}

/** Reads a receipt or a list of receipts; refuses the whole list when any entry is malformed or out of bounds. */
export function parseReceipts(body: unknown, now: number): ReceiptInput[] {
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0) refuse([{ field: 'kvitteringer', message: 'Printkvitteringslisten er tom' }]);
  if (list.length > MAX_RECEIPTS)
    refuse([
      {
        field: 'kvitteringer',
        message: `Printkvitteringslisten har ${list.length} kvitteringer; høyst ${MAX_RECEIPTS} i én liste`,
      },
    ]);
  const problems: FieldProblem[] = [];
  const receipts: ReceiptInput[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry, index) => {
    const parsed = receiptSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = `kvitteringer[${index}]${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}`;
        const reason =
          issue.code === 'invalid_type' && issue.path.length === 0 ? 'må være et JSON-objekt' : issue.message;
        problems.push({ field, message: `Printkvittering ${index} (${field}): ${reason}` });
      }
      return;
    }
    const r = parsed.data;
    const earlier = seen.get(r.forsendelseId);
    if (earlier !== undefined)
      problems.push({
        field: `kvitteringer[${index}].forsendelseId`,
        message: `Printkvittering ${index}: forsendelsen ${r.forsendelseId} har allerede kvittering ${earlier} i samme liste`,
      });
    seen.set(r.forsendelseId, index);
    if (r.fargesider > r.sider)
      problems.push({
        field: `kvitteringer[${index}].fargesider`,
        message: `Printkvittering ${index}: «fargesider» (${r.fargesider}) kan ikke være flere enn «sider» (${r.sider})`,
      });
    if (r.printetTidspunkt !== undefined && Date.parse(r.printetTidspunkt) > now + CLOCK_SKEW_MS) {
      problems.push({
        field: `kvitteringer[${index}].printetTidspunkt`,
        message: `Printkvittering ${index}: «printetTidspunkt» ligger fram i tid`,
      });
    }
    receipts.push(r);
  });
  if (problems.length > 0) refuse(problems);
  return receipts;
}

/**
 * A receipt that says the letter was printed before it was handed to print (year 0001 was
 * taken, found in an audit): the statistics would count it in a month it was not printed.
 */
function printedBeforeSent(state: ForsendelseState | undefined, r: ReceiptInput): string | undefined {
  if (state?.sendtPrintAt === undefined || r.printetTidspunkt === undefined) return undefined;
  if (Date.parse(r.printetTidspunkt) >= state.sendtPrintAt - CLOCK_SKEW_MS) return undefined;
  return `«printetTidspunkt» ${r.printetTidspunkt} ligger før forsendelsen ble sendt til print (${new Date(state.sendtPrintAt).toISOString()})`;
}

/** What applying receipts needs. */
export interface PrintReceiptService {
  readonly actors: Pick<ForsendelseActors, 'execute'>;
  /** Read for the checks: one query per 500 letters instead of waking an actor per receipt. */
  readonly readModel: Pick<ReadModel, 'getMany'>;
  readonly now: () => number;
}

/** Receipts applied at once (journal appends in flight). */
const APPLY_CONCURRENCY = 16;

/** What became of each receipt: `registrert` false for a repeat of an earlier receipt. */
export interface ReceiptResult {
  readonly forsendelseId: string;
  readonly registrert: boolean;
}

/**
 * Applies the receipts from `leverandor` all or nothing: refuses (404 when the only faults
 * are unknown letters, else 409; the message names every bad entry) unless each letter was sent to print through this channel and waits for
 * its receipt or already has it; only then registers them.
 */
export async function registerPrintReceipts(
  deps: PrintReceiptService,
  leverandor: PrintLeverandor,
  receipts: readonly ReceiptInput[],
): Promise<ReceiptResult[]> {
  const states = new Map(
    (await deps.readModel.getMany(receipts.map((r) => r.forsendelseId))).map((rec) => [rec.id, fromRecord(rec)]),
  );
  const refusals: string[] = [];
  let unknownOnly = true;
  for (const [index, r] of receipts.entries()) {
    const state = states.get(r.forsendelseId);
    const refusal = printReceiptRefusal(state, leverandor) ?? printedBeforeSent(state, r);
    if (refusal === undefined) continue;
    if (state !== undefined) unknownOnly = false;
    refusals.push(`Printkvittering ${index} (${r.forsendelseId}): ${refusal}`);
  }
  if (refusals.length > 0) {
    // Unknown letters answer 404 as before; a letter in the wrong state or channel 409.
    const message = `Ingen av printkvitteringene er registrert. ${refusals.slice(0, 20).join('; ')}${refusals.length > 20 ? `; og ${refusals.length - 20} til` : ''}`;
    throw unknownOnly ? new BudbringerError('IKKE_FUNNET', message, 404) : new ConflictError(message);
  }
  // Every entry passed: apply them all. The decider checks the channel again, so a letter
  // handled meanwhile by someone else is refused there rather than confirmed wrongly.
  const results: ReceiptResult[] = new Array<ReceiptResult>(receipts.length);
  let next = 0;
  // A refusal by the decider (a letter handled by someone since the check) stops every
  // worker at once: the rest of the list is not applied after the answer says it failed.
  let stopped = false;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < receipts.length && !stopped; i = next++) {
      const r = receipts[i]!;
      const at = deps.now();
      try {
        const { events } = await deps.actors.execute(r.forsendelseId, {
          type: 'RegistrerPrintkvittering',
          at,
          kvittering: kvitteringOf(r, at),
          leverandor,
        });
        results[i] = { forsendelseId: r.forsendelseId, registrert: events.length > 0 };
      } catch (error) {
        stopped = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(APPLY_CONCURRENCY, receipts.length) }, worker));
  return results;
}

/** Applies receipts from one provider (the door's view of registerPrintReceipts). */
export type PrintReceiptRegistrar = (
  leverandor: PrintLeverandor,
  receipts: readonly ReceiptInput[],
) => Promise<ReceiptResult[]>;

/** registerPrintReceipts bound to its dependencies, for the receipts door. */
export function printReceiptRegistrar(deps: PrintReceiptService): PrintReceiptRegistrar {
  return (leverandor, receipts) => registerPrintReceipts(deps, leverandor, receipts);
}

function kvitteringOf(r: ReceiptInput, at: number): PrintKvittering {
  return {
    sider: r.sider,
    fargesider: r.fargesider,
    konvolutter: r.konvolutter,
    ark: r.ark,
    vekt: r.vekt,
    porto: r.porto,
    produksjonskostnad: r.produksjonskostnad,
    konteringskode: r.konteringskode,
    printetAt: r.printetTidspunkt === undefined ? at : Date.parse(r.printetTidspunkt),
  };
}
