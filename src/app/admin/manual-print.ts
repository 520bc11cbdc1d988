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

/** The queue for these avsendere (undefined: all), oldest first (paged through the read model). */
export async function manualPrintQueue(
  readModel: ReadModel,
  avsendere: readonly string[] | undefined,
  max = 2000,
): Promise<ForsendelseState[]> {
  if (avsendere?.length === 0) return [];
  const found = new Map<string, ForsendelseState>();
  const pageSize = 200;
  for (let offset = 0; offset < max; offset += pageSize) {
    const page = await readModel.search({ avsendere, status: ['SENDT_PRINT'], limit: pageSize, offset });
    for (const r of page.items) {
      const s = fromRecord(r);
      if (isWaitingForManualPrint(s)) found.set(s.id, s);
    }
    if (page.items.length < pageSize) break;
  }
  return [...found.values()].sort((a, b) => (a.sendtPrintAt ?? 0) - (b.sendtPrintAt ?? 0) || a.id.localeCompare(b.id));
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
