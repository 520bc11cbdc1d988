/**
 * What may be asked of a forsendelse. Jobs do the I/O (compose, KRR, e-mail, print) and
 * then send the outcome as a command; the decider turns it into events or declines.
 */
import type { FilRef, VarslingFeil, Varslingsadresse } from './events.js';
import type { ForsendelseInput, Kanal, PrintKvittering, StoredDokument } from './model.js';
import type { PrintLeverandor } from './print-receipt.js';

/** A letter's channel and why (src/domain/channel-choice.ts), as the route is recorded. */
export interface ChannelChoice {
  readonly kanal: Kanal;
  readonly grunn: string;
  readonly varsling?: Varslingsadresse;
  /** For kanal 'svarinn': the receiving system's id. */
  readonly mottakersystem?: string;
}

export type ForsendelseCommand =
  | {
      readonly type: 'Motta';
      readonly at: number;
      readonly id: string;
      readonly avsender: string;
      readonly input: ForsendelseInput;
      readonly dokumenter: readonly StoredDokument[];
      /** Hash of the content as handed in (src/app/letter-fingerprint.ts): a resend under its id is told apart by it. */
      readonly innholdSha256?: string;
      /** What the sender should know but that does not stop the letter (e.g. an address cut on paper). */
      readonly advarsler?: readonly string[];
    }
  | {
      readonly type: 'RegistrerForsendelsesfil';
      readonly at: number;
      readonly forsendelsesfil?: FilRef;
      readonly printfil?: FilRef;
      /** The channel, when it was chosen with the acceptance (VelgKanal in the same write). */
      readonly kanalvalg?: ChannelChoice;
      /**
       * The print copy was handed to this provider before this write (a letter that goes on
       * paper at once): RegistrerSendtPrint in the same write, after VelgKanal.
       */
      readonly sendtPrint?: { readonly leverandor: PrintLeverandor };
    }
  | { readonly type: 'Avvis'; readonly at: number; readonly grunn: string }
  | ({ readonly type: 'VelgKanal'; readonly at: number } & ChannelChoice)
  | { readonly type: 'StartVarsling'; readonly at: number }
  | { readonly type: 'StartEpostOverforing'; readonly at: number }
  | ({
      readonly type: 'RegistrerVarslingFeilet';
      /**
       * Set when no retry can mend the failure (a refused address): the notification ends
       * with what was delivered, as StartVarsling and RegistrerVarsling after it would end it.
       */
      readonly avslutt?: {
        readonly at: number;
        readonly kanaler: readonly ('epost' | 'sms')[];
        readonly fristAt?: number;
        readonly usikker?: boolean;
      };
    } & VarslingFeil)
  | {
      readonly type: 'RegistrerVarsling';
      readonly at: number;
      readonly kanaler: readonly ('epost' | 'sms')[];
      readonly fristAt?: number;
      readonly usikker?: boolean;
    }
  /** The reminder's e-mail is about to leave (the claim on it, as StartEpostOverforing is for the first notice). */
  | { readonly type: 'StartPaminnelseEpostOverforing'; readonly at: number }
  /** The server refused the reminder e-mail's content after its marker: it may be sent again. */
  | { readonly type: 'RegistrerPaminnelseEpostAvvist'; readonly at: number }
  /** `usikker`: the reminder's e-mail was cut off while it was leaving (a run found its marker). */
  | { readonly type: 'RegistrerPaminnelse'; readonly at: number; readonly usikker?: boolean }
  /** A person (admin web) sent the notification again; `av` is their user name. */
  | {
      readonly type: 'RegistrerVarselPaNytt';
      readonly at: number;
      readonly av: string;
      readonly kanaler: readonly ('epost' | 'sms')[];
    }
  | { readonly type: 'MarkerLest'; readonly at: number }
  /** The recipient downloaded document `index` whole (all of them read = LEST). */
  | { readonly type: 'RegistrerDokumentNedlastet'; readonly at: number; readonly index: number }
  | {
      readonly type: 'MarkerLestEksternt';
      readonly at: number;
      readonly datoLest: number;
      readonly fnr: string;
      readonly systemnavn: string;
    }
  | { readonly type: 'LesefristUtlopt'; readonly at: number }
  /**
   * The print job is about to hand the print copy it has built to the provider: the intent,
   * decided on the state as it is after the build (a read meanwhile stops the print).
   */
  | { readonly type: 'StartUtskrift'; readonly at: number }
  | {
      readonly type: 'RegistrerSendtPrint';
      readonly at: number;
      readonly leverandor: PrintLeverandor;
      readonly printfil: FilRef;
    }
  | {
      readonly type: 'RegistrerPrintkvittering';
      readonly at: number;
      readonly kvittering: PrintKvittering;
      readonly av?: string;
      /** The channel the receipt comes from: it must be the one the letter was sent to. */
      readonly leverandor?: PrintLeverandor;
    }
  | { readonly type: 'MarkerManueltHandtert'; readonly at: number; readonly av: string; readonly grunn: string }
  | { readonly type: 'SlettDokumenter'; readonly at: number; readonly grunn: 'oppbevaringstid' | 'avsender' }
  /** SvarInn: the receiving system downloaded the letter (recorded the first time). */
  | { readonly type: 'RegistrerHentetAvMottakersystem'; readonly at: number; readonly mottakersystem: string }
  /** SvarInn kvitterMottak; a repeat changes nothing. */
  | { readonly type: 'KvitterMottak'; readonly at: number; readonly mottakersystem: string }
  /**
   * SvarInn mottakFeilet. `nyKanal` (required when permanent) is the channel the letter
   * takes instead, chosen by the caller as for a letter without a receiving system.
   */
  | {
      readonly type: 'MeldMottakFeilet';
      readonly at: number;
      readonly mottakersystem: string;
      readonly feilmelding: string;
      readonly permanent: boolean;
      readonly nyKanal?: { readonly kanal: Kanal; readonly grunn: string; readonly varsling?: Varslingsadresse };
    };

/** The `type` of any command. */
export type ForsendelseCommandType = ForsendelseCommand['type'];
