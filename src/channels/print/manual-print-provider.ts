/**
 * Manual print ("manuell print", docs/interfaces.md §4 "Sendt til manuell print"): no file is written
 * and nothing is sent. The letter waits in the admin web's print queue, which lists
 * forsendelser in SENDT_PRINT whose avsender uses `manual`; the caller records that status
 * after `submit` resolves, and a user's confirmation records PRINTET. The print file is
 * downloaded from the blob store by the admin web, so the job's bytes are not kept here.
 */
import type { PrintJob, PrintProvider } from './print-provider.js';

/** The manual provider: submitting only means "now in the admin web's queue". */
export class ManualPrintProvider implements PrintProvider {
  /** Resolves at once; idempotent by nature. */
  async submit(_job: PrintJob): Promise<void> {
    // Nothing to do: the queue is the read model's SENDT_PRINT list (see the file comment).
  }
}
