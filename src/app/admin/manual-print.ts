/**
 * Manual print (docs/architecture.md step 8): letters in SENDT_PRINT whose provider is `manual` wait
 * here. Staff download a print-ready batch — the print files merged in queue order, duplex
 * letters padded to whole sheets so the next letter starts on a fresh sheet — and confirm
 * what they printed, which records a receipt derived from the print file and makes the
 * letter PRINTET.
 */
import type { ForsendelseState } from '../../domain/forsendelse-state.js';
import type { BlobRef, PrintKvittering } from '../../domain/model.js';
import { fromRecord } from '../../domain/record.js';
import type { ReadModel } from '../../storage/ports.js';
import type { PdfWork } from '../../pdf/pdf-worker-protocol.js';
import type { PrintBatch } from '../../pdf/print-batch.js';
import { GRAM_PER_ARK, GRAM_PER_KONVOLUTT, type CostModel } from './cost-model.js';

/** Most letters in one batch file (it is built in memory). */
export const MAX_BATCH = 200;

/** True for a letter waiting in the manual print queue. */
export function isWaitingForManualPrint(state: ForsendelseState): boolean {
  return state.status === 'SENDT_PRINT' && state.printLeverandor === 'manual';
}

/** True when the letter is to be printed on both sides. */
export function isDuplex(state: ForsendelseState): boolean {
  return state.input.printkonfigurasjon?.tosidig === true;
}

/** The letters waiting for manual print, oldest first, and how many wait in all. */
export interface ManualPrintQueue {
  /** The oldest waiting, at most the `max` asked for. */
  readonly letters: ForsendelseState[];
  /** Every letter waiting (more than `letters` when past `max`). */
  readonly total: number;
}

/**
 * The queue for these avsendere (undefined: all), oldest first: the store is asked for
 * letters in SENDT_PRINT sent to manual print only, so letters of other print providers
 * waiting for their receipts never push the oldest manual ones out of the first `max`
 * (until a review on 7 December 2026 the newest 2 000 in SENDT_PRINT were read, whatever
 * their provider, and the queue could show "Ingen brev venter" with letters waiting).
 */
export async function manualPrintQueue(
  readModel: ReadModel,
  avsendere: readonly string[] | undefined,
  max = 2000,
): Promise<ManualPrintQueue> {
  if (avsendere?.length === 0) return { letters: [], total: 0 };
  const found = new Map<string, ForsendelseState>();
  const pageSize = 200;
  let total = 0;
  for (let offset = 0; offset < max; offset += pageSize) {
    const query = { avsendere, status: ['SENDT_PRINT'] as const, manuellPrint: true, oldestFirst: true };
    const page = await readModel.search({ ...query, limit: Math.min(pageSize, max - offset), offset });
    total = page.total;
    for (const r of page.items) {
      const s = fromRecord(r);
      if (isWaitingForManualPrint(s)) found.set(s.id, s);
    }
    if (offset + page.items.length >= total) break;
  }
  const letters = [...found.values()].sort(
    (a, b) => (a.sendtPrintAt ?? 0) - (b.sendtPrintAt ?? 0) || a.id.localeCompare(b.id),
  );
  return { letters, total: Math.max(total, letters.length) };
}

/** The file that goes on paper: the print variant when there is one. */
export function printFileOf(state: ForsendelseState): { sha256: string; size: number; sider: number } | undefined {
  return state.printfil ?? state.forsendelsesfil;
}

/** The receipt of a manually printed letter, from its print file and the cost model's prices. */
export function manualKvittering(state: ForsendelseState, printetAt: number, model: CostModel): PrintKvittering {
  const sider = printFileOf(state)?.sider ?? 0;
  const ark = isDuplex(state) ? Math.ceil(sider / 2) : sider;
  const vekt = ark * GRAM_PER_ARK + GRAM_PER_KONVOLUTT;
  return {
    sider,
    fargesider: state.input.printkonfigurasjon?.fargePrint === true ? sider : 0,
    konvolutter: 1,
    ark,
    vekt,
    // Postage steps per started 50 g (Posten's weight classes for letters).
    porto: model.portoOre * Math.max(1, Math.ceil(vekt / 50)),
    produksjonskostnad: model.produksjonOre,
    konteringskode: state.input.konteringskode,
    printetAt,
  };
}

/** One PDF of the letters' print files, in the given order (at most MAX_BATCH letters), merged on a PDF thread. */
export async function buildBatch(
  letters: readonly ForsendelseState[],
  read: (file: BlobRef) => Promise<Uint8Array>,
  pdf: Pick<PdfWork, 'printBatch'>,
): Promise<PrintBatch> {
  const files = [];
  for (const s of letters.slice(0, MAX_BATCH)) {
    const file = printFileOf(s);
    if (file !== undefined) files.push({ bytes: await read(file), duplex: isDuplex(s) });
  }
  return pdf.printBatch(files, 'Budbringer – bunke for manuell print');
}
