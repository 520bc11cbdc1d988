/**
 * Job `print` (docs/architecture.md step 8): hands the print variant (cover page + printable
 * documents) to the avsender's provider — the file drop, or the admin web's manual-print
 * queue — and records SENDT_PRINT. Providers are idempotent per forsendelse, so a retry
 * after a crash never prints twice.
 */
import { isRetryable } from '../channels/channel-error.js';
import type { PrintJob } from '../channels/print/index.js';
import { needsPrint } from '../domain/delivery-rules.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import { printedDocuments, printGiroPages } from '../domain/giro-pages.js';
import { PermanentJobError, type JobHandler } from '../storage/ports.js';
import type { DeliveryDeps } from './delivery-deps.js';
import { forsendelseIdOf } from './job-payload.js';

/** The print job for `state` with the PDF bytes. */
export function printJobOf(state: ForsendelseState, pdf: Uint8Array, sider: number, now: number): PrintJob {
  const p = state.input.printkonfigurasjon;
  const printed = printedDocuments(state);
  const placed = printGiroPages(state, sider);
  return {
    forsendelseId: state.id,
    pdf,
    manifest: {
      forsendelseId: state.id,
      avsender: state.avsender,
      mottaker: state.input.mottaker?.postAdresse ?? { navn: '' },
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

/** The print job handler. */
export function printJob(deps: DeliveryDeps): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    const state = await deps.actors.state(id);
    if (state === undefined || !needsPrint(state)) return;
    // The compose job builds the print copy first (pendingWork); a run before it is retried.
    const printfil = state.printfil;
    if (printfil === undefined) throw new Error(`Forsendelse ${id} har ingen printfil ennå`);
    const avsender = await deps.config.getAvsender(state.avsender);
    const leverandor = avsender?.print.leverandor ?? 'filedrop';
    const now = deps.now();
    try {
      await deps.printProviders[leverandor].submit(
        printJobOf(state, await deps.files.read(printfil), printfil.sider, now),
      );
    } catch (error) {
      if (!isRetryable(error)) throw new PermanentJobError((error as Error).message);
      throw error;
    }
    await deps.actors.execute(id, { type: 'RegistrerSendtPrint', at: now, leverandor, printfil });
  };
}
