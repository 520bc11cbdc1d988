/**
 * Job `print` (docs/architecture.md step 8): hands the print copy (cover page saying why it
 * came on paper + printable documents) to the avsender's provider — the file drop, or the
 * admin web's manual-print queue — and records SENDT_PRINT: for a digital letter left unread,
 * whose copy is built here, and for a letter that goes on paper at once when the compose job
 * could not hand its copy over on acceptance (src/jobs/compose-job.ts). A retry after a crash
 * hands the same copy over under the same forsendelse id: the file drop keeps a drop whose
 * manifest is there, and a provider that took the files already de-duplicates on the id
 * (docs/operations.md, "Print provider: file drop and receipts"); the manual-print queue
 * holds one entry per letter.
 */
import { createHash } from 'node:crypto';
import { needsPrint } from '../domain/delivery-rules.js';
import type { FilRef } from '../domain/events.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import { withBlobCustody } from '../storage/blob-custody.js';
import { buildLetterFile, DocumentFault, type LetterFileDeps } from './letter-file.js';
import { PermanentJobError, type Avsender, type JobHandler } from '../storage/ports.js';
import type { DeliveryDeps } from './delivery-deps.js';
import { forsendelseIdOf } from './job-payload.js';
import { handOverToPrint } from './print-hand-over.js';

/** What the print job needs: the delivery jobs' needs and the PDF work that builds the print copy. */
export type PrintJobDeps = DeliveryDeps & LetterFileDeps;

/** Attempts before a letter whose print copy cannot be built is left to an operator (the job fails). */
const MAX_BUILD_ATTEMPTS = 3;

/**
 * The print job handler. Actor round trips: the state, the intent (StartUtskrift) once the
 * copy is built, and the hand-over's record. The intent is decided on the state as it is then,
 * so a letter read (or closed by hand, or its documents deleted) while its copy was built is
 * not printed; a hand-over under way is recorded whatever happens during it (a copy with the
 * provider but not in the history made its receipts a conflict: review of 7 December 2026).
 * A later run (after a failed drop, or a run cut off) hands over only while the letter still
 * needs print; providers are idempotent per forsendelse. One that finds a hand-over under way
 * and the letter read or closed since (a run cut off between its drop and its record) records
 * the copy the drop holds: it is on its way to paper.
 */
export function printJob(deps: PrintJobDeps): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    const state = await deps.actors.state(id);
    if (state === undefined) return;
    if (!needsPrint(state)) {
      if (state.utskriftStartetAt !== undefined && state.sendtPrintAt === undefined) await recordHeldCopy(deps, state);
      return;
    }
    // A copy built here (its cover says why the letter came on paper) has the same bytes on a
    // retry, and is claimed with the hand-over that registers it.
    await withBlobCustody(
      deps.blobs,
      async (custody) => {
        // Read once: its cover for a copy built here, its print provider for the hand-over.
        const avsender = await deps.config.getAvsender(state.avsender);
        const built =
          state.printfil === undefined
            ? await buildPrintCopy(state, avsender, { ...deps, blobs: custody.blobs }, job.attempt)
            : undefined;
        const printfil = built?.fil ?? state.printfil;
        if (printfil === undefined) throw new Error(`Forsendelse ${id}: printfilen mangler`);
        const pdf = built?.bytes ?? (await deps.files.read(printfil));
        const started = (await deps.actors.execute(id, { type: 'StartUtskrift', at: deps.now() })).state;
        if (started === undefined || !needsPrint(started) || started.utskriftStartetAt === undefined) return;
        const now = deps.now();
        const leverandor = await handOverToPrint(deps.printProviders, { ...started, printfil }, avsender, pdf, now);
        const claims = built === undefined ? [] : [printfil.sha256];
        await deps.actors.execute(id, { type: 'RegistrerSendtPrint', at: now, leverandor, printfil }, claims);
      },
      { name: `print:${id}` },
    );
  };
}

/**
 * Records the copy the avsender's provider holds from a hand-over whose run was cut off before
 * its record, the letter read, closed by hand or its documents deleted since: the copy is
 * stored again (the run's own was never claimed) and claimed with the record, unless its
 * sender deleted the documents (then it is only named). Nothing when the provider holds none
 * (it took the files away, or the drop never finished).
 */
async function recordHeldCopy(deps: PrintJobDeps, state: ForsendelseState): Promise<void> {
  const leverandor = (await deps.config.getAvsender(state.avsender))?.print.leverandor ?? 'filedrop';
  const held = await deps.printProviders[leverandor].held?.(state.id);
  if (held === undefined) return;
  if (state.dokumenterSlettetAt !== undefined) {
    // Its sender deleted the documents since: the copy is named in the record, not kept.
    const sha256 = createHash('sha256').update(held.pdf).digest('hex');
    const printfil = { sha256, size: held.pdf.byteLength, sider: held.sider };
    await deps.actors.execute(state.id, { type: 'RegistrerSendtPrint', at: deps.now(), leverandor, printfil });
    return;
  }
  await withBlobCustody(
    deps.blobs,
    async (custody) => {
      const ref = await custody.blobs.put(held.pdf);
      const printfil = { sha256: ref.sha256, size: ref.size, sider: held.sider };
      await deps.actors.execute(state.id, { type: 'RegistrerSendtPrint', at: deps.now(), leverandor, printfil }, [
        ref.sha256,
      ]);
    },
    { name: `print:${state.id}` },
  );
}

/** Builds and stores the print copy; a copy that cannot be built fails the job for good after a few attempts. */
async function buildPrintCopy(
  state: ForsendelseState,
  avsender: Avsender | undefined,
  deps: PrintJobDeps,
  attempt: number,
): Promise<{ fil: FilRef; bytes: Uint8Array }> {
  try {
    return await buildLetterFile(state, 'print', avsender, deps);
  } catch (error) {
    if (!(error instanceof DocumentFault) || attempt < MAX_BUILD_ATTEMPTS) throw error;
    throw new PermanentJobError(`Printfilen kunne ikke dannes: ${error.message}`);
  }
}
