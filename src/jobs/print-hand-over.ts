/**
 * Handing a letter's print copy to the avsender's print provider (docs/architecture.md
 * step 8): the file drop, or the admin web's manual-print queue. The print job does it, and
 * the compose job does it for a letter that goes on paper at once, with the copy it has just
 * built, so that such a letter needs no job of its own. A hand-over repeated after a crash
 * comes under the same forsendelse id: the file drop keeps a drop whose manifest is there,
 * and a provider that took the files already de-duplicates on the id (docs/operations.md,
 * "Print provider: file drop and receipts"; filedrop-print-provider.ts).
 */
import { isRetryable } from '../channels/channel-error.js';
import type { PrintJob, PrintProviders } from '../channels/print/index.js';
import { envelopeAddress } from '../domain/envelope-address.js';
import type { FilRef } from '../domain/events.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import { printedDocuments, printGiroPages } from '../domain/giro-pages.js';
import type { PrintLeverandor } from '../domain/print-receipt.js';
import { PermanentJobError, type Avsender } from '../storage/ports.js';

/**
 * The provider's job for `state` with the PDF bytes. The giro pages are placed in the copy
 * `state.printfil` names (duplex padding and all), so the state must carry the copy handed over.
 */
function printJobOf(state: ForsendelseState & { readonly printfil: FilRef }, pdf: Uint8Array, now: number): PrintJob {
  const sider = state.printfil.sider;
  const p = state.input.printkonfigurasjon;
  const printed = printedDocuments(state);
  const placed = printGiroPages(state, sider);
  return {
    forsendelseId: state.id,
    pdf,
    manifest: {
      forsendelseId: state.id,
      avsender: state.avsender,
      // As the envelope window prints it: one line a field, no country for Norway.
      mottaker: envelopeAddress(state.input.mottaker?.postAdresse ?? { navn: '' }),
      tosidig: p?.tosidig ?? false,
      fargePrint: p?.fargePrint ?? false,
      brevtype: p?.brevtype,
      konteringskode: state.input.konteringskode,
      sider,
      dokumenter: printed.map((d, i) => ({
        filnavn: d.filnavn,
        sider: d.sider ?? 0,
        forsteSide: placed.dokumenter[i]?.forsteSide,
        giroarkSider: placed.dokumenter[i]?.giroarkSider ?? [],
      })),
      giroarkSider: placed.giroarkSider,
      createdAt: now,
    },
  };
}

/**
 * Hands `pdf`, the bytes of `state.printfil`, to `avsender`'s provider and returns the
 * provider's name. An error the provider says is worth a retry is thrown as it is; any other
 * is a PermanentJobError.
 */
export async function handOverToPrint(
  providers: PrintProviders,
  state: ForsendelseState & { readonly printfil: FilRef },
  avsender: Avsender | undefined,
  pdf: Uint8Array,
  now: number,
): Promise<PrintLeverandor> {
  const leverandor = avsender?.print.leverandor ?? 'filedrop';
  try {
    await providers[leverandor].submit(printJobOf(state, pdf, now));
  } catch (error) {
    if (!isRetryable(error)) throw new PermanentJobError((error as Error).message);
    throw error;
  }
  return leverandor;
}
