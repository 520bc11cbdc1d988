/**
 * The print port (docs/architecture.md step 8): a letter that goes on paper is handed to the avsender's
 * provider (`Avsender.print.leverandor`): `filedrop` (PRINT_DIR) or `manual` (the admin web's
 * queue). The caller records SENDT_PRINT after `submit` resolves; PRINTET follows the
 * provider's receipt or a user's confirmation.
 */
import type { Brevtype, PostAdresse } from '../../domain/model.js';
import type { PrintLeverandor } from '../../domain/print-receipt.js';
import { ChannelError } from '../channel-error.js';

/** One document of the print file and its pages. */
export interface PrintManifestDokument {
  readonly filnavn: string;
  readonly sider: number;
  /** 1-based page of the print PDF where the document starts. */
  readonly forsteSide?: number;
  /** The document's giro pages (dokument.giroarkSider) as pages of the print PDF. */
  readonly giroarkSider?: readonly number[];
}

/** What the provider needs besides the PDF: envelope, options, billing, page counts. */
export interface PrintManifest {
  readonly forsendelseId: string;
  /** The avsender's account name. */
  readonly avsender: string;
  /** The envelope address. */
  readonly mottaker: PostAdresse;
  readonly tosidig: boolean;
  readonly fargePrint: boolean;
  readonly brevtype?: Brevtype;
  readonly konteringskode?: string;
  /** Pages of the PDF, cover page included. */
  readonly sider: number;
  /** The documents in letter order (those excluded from print left out). */
  readonly dokumenter: readonly PrintManifestDokument[];
  /** Pages of the PDF (1-based, cover included) to print on giro paper; empty when none. */
  readonly giroarkSider: readonly number[];
  /** Epoch milliseconds when the job was made. */
  readonly createdAt: number;
}

/** A letter for print: the print-ready PDF (cover page and documents) and its manifest. */
export interface PrintJob {
  readonly forsendelseId: string;
  readonly pdf: Uint8Array;
  readonly manifest: PrintManifest;
}

/** A copy a provider holds from an earlier hand-over: the PDF and its pages. */
export interface HeldPrintCopy {
  readonly pdf: Uint8Array;
  readonly sider: number;
}

/** Hands letters to a print provider. Submitting the same forsendelse again must not print it twice. */
export interface PrintProvider {
  submit(job: PrintJob): Promise<void>;
  /**
   * The copy of `forsendelseId` handed over before, while the provider still holds it: the
   * print job asks when a run was cut off between its hand-over and its record. Absent for a
   * provider that holds nothing (the manual queue).
   */
  held?(forsendelseId: string): Promise<HeldPrintCopy | undefined>;
}

/** A node's providers, by the name an avsender chooses (`Avsender.print.leverandor`). */
export type PrintProviders = Readonly<Record<PrintLeverandor, PrintProvider>>;

/** Handing a letter to print failed; `retryable` false when the job itself is wrong. */
export class PrintError extends ChannelError {
  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super('PRINT_FEILET', message, retryable, options);
  }
}
