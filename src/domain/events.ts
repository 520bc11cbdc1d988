/**
 * What happened to a forsendelse. Events are the journal's content: JSON, past tense,
 * complete enough that a restart (or another node) rebuilds the same state.
 */
import type { BlobRef, ForsendelseInput, Kanal, PrintKvittering, StoredDokument } from './model.js';

/** A generated PDF: where it is and how many pages it has. */
export interface FilRef extends BlobRef {
  readonly sider: number;
}

/**
 * A notification run that failed (it may be retried). `levert` are the channels this run
 * delivered before the failure (not sent again); `epostIkkeLevert` says the server answered
 * the e-mail's content with a refusal, so it has no copy and the e-mail may be sent again.
 */
export interface VarslingFeil {
  readonly at: number;
  readonly feil: string;
  readonly levert?: readonly ('epost' | 'sms')[];
  readonly epostIkkeLevert?: boolean;
  /** Set when no retry follows (a refused address): the notification ends with what was delivered. */
  readonly endelig?: boolean;
  /**
   * The print deadline, set by the first failed attempt of a letter that may go on paper: it
   * runs while the notification is retried, so a recipient whose mailbox is full or whose
   * SMS gateway is down still gets the letter on paper (delivery-rules.ts, awaitsPrintDeadline).
   */
  readonly fristAt?: number;
}

/** Where the recipient is notified (from KRR or the avsender's configuration). */
export interface Varslingsadresse {
  readonly epost?: string;
  readonly sms?: string;
}

export type ForsendelseEvent =
  | {
      readonly type: 'Mottatt';
      readonly at: number;
      readonly id: string;
      readonly avsender: string;
      readonly input: ForsendelseInput;
      readonly dokumenter: readonly StoredDokument[];
      /** Hash of the content as handed in (src/app/letter-fingerprint.ts); absent on letters from before it. */
      readonly innholdSha256?: string;
      /** Intake warnings, shown in the history (e.g. an address line too long for the window). */
      readonly advarsler?: readonly string[];
    }
  /**
   * The letter is accepted, with its digital file; a letter for a receiving system is
   * accepted without one (FilerDannet adds it if it comes to need it). `printfil` only on
   * letters from before the print copy was built by the print job (SendtPrint carries it).
   */
  | { readonly type: 'Akseptert'; readonly at: number; readonly forsendelsesfil?: FilRef; readonly printfil?: FilRef }
  /** The digital file, built after acceptance when the letter's channel came to need it (a receiving system gave it up). */
  | { readonly type: 'FilerDannet'; readonly at: number; readonly forsendelsesfil: FilRef }
  | { readonly type: 'Avvist'; readonly at: number; readonly grunn: string }
  | {
      readonly type: 'KanalValgt';
      readonly at: number;
      readonly kanal: Kanal;
      readonly grunn: string;
      readonly varsling?: Varslingsadresse;
      /** For kanal 'svarinn': the receiving system's id (its SvarInn user name). */
      readonly mottakersystem?: string;
    }
  | { readonly type: 'VarslingStartet'; readonly at: number }
  /**
   * The e-mail's content is about to leave: the SMTP server has taken the envelope. Journaled
   * before the first byte of the message, so a run cut off without it sent nothing and a new
   * run may send; a run cut off after it may have sent, and the e-mail is not sent again.
   */
  | { readonly type: 'EpostOverfores'; readonly at: number }
  /** Sending failed (see VarslingFeil): it may be retried. */
  | ({ readonly type: 'VarslingFeilet' } & VarslingFeil)
  | {
      readonly type: 'Varslet';
      readonly at: number;
      readonly kanaler: readonly ('epost' | 'sms')[];
      /** When an unread letter goes to print; absent for kunDigitalLevering. */
      readonly fristAt?: number;
      /** Set when a crash cut off the e-mail while it was leaving: it may have gone out (never sent twice). */
      readonly usikker?: boolean;
    }
  | { readonly type: 'DokumentLastetNed'; readonly at: number; readonly index: number }
  /**
   * The reminder's e-mail is about to leave, as EpostOverfores is for the first notice: the
   * SMTP server has taken the envelope, and no byte of content has gone. A run cut off after
   * it may have sent the reminder, so it is not sent again (Paminnet with `usikker`).
   */
  | { readonly type: 'PaminnelseEpostOverfores'; readonly at: number }
  /**
   * The server answered the reminder e-mail's content with a refusal after its marker: it has
   * no copy, so the e-mail may be sent again (the marker no longer holds).
   */
  | { readonly type: 'PaminnelseEpostAvvist'; readonly at: number }
  | {
      readonly type: 'Paminnet';
      readonly at: number;
      /** Set when a crash cut off the reminder's e-mail while it was leaving: it may have gone out (never sent twice). */
      readonly usikker?: boolean;
    }
  | {
      readonly type: 'VarselSendtPaNytt';
      readonly at: number;
      readonly av: string;
      readonly kanaler: readonly ('epost' | 'sms')[];
    }
  | {
      readonly type: 'Lest';
      readonly at: number;
      /** Read by downloading every document one by one (not the whole forsendelsesfil). */
      readonly alleDokumenter?: boolean;
    }
  | {
      readonly type: 'LestEksternt';
      readonly at: number;
      readonly datoLest: number;
      readonly fnr: string;
      readonly systemnavn: string;
    }
  /**
   * The read deadline passed unread, so the letter goes on paper; or (`ingenVarsel`) no
   * notice reached the recipient (every address refused), so nobody can open it digitally and
   * it goes on paper at once, not after a deadline nobody could meet. Follows a final
   * VarslingFeilet then.
   */
  | { readonly type: 'LesefristUtlopt'; readonly at: number; readonly ingenVarsel?: true }
  /**
   * No notice reached the recipient of a digital-only letter (every address refused): nobody
   * can open it and it may not go on paper, so it ends IKKE_LEVERT. Follows a final VarslingFeilet.
   */
  | { readonly type: 'VarslingAvbrutt'; readonly at: number }
  /**
   * The print copy is being handed to the provider: from here the letter goes on paper
   * whatever happens meanwhile (a read, a clerk closing it, its documents deleted), and the
   * hand-over is recorded when it is done (review of 7 December 2026: a read during the build
   * of a large copy left a letter printed but recorded as not printed).
   */
  | { readonly type: 'UtskriftStartet'; readonly at: number }
  | {
      readonly type: 'SendtPrint';
      readonly at: number;
      readonly leverandor: 'filedrop' | 'manual';
      readonly printfil: FilRef;
    }
  | { readonly type: 'Printet'; readonly at: number; readonly kvittering: PrintKvittering; readonly av?: string }
  | { readonly type: 'ManueltHandtert'; readonly at: number; readonly av: string; readonly grunn: string }
  | { readonly type: 'DokumenterSlettet'; readonly at: number; readonly grunn: 'oppbevaringstid' | 'avsender' }
  /** The receiving system downloaded the letter through SvarInn (the first download). */
  | { readonly type: 'HentetAvMottakersystem'; readonly at: number; readonly mottakersystem: string }
  /** The receiving system acknowledged the letter (SvarInn kvitterMottak): it is read. */
  | { readonly type: 'MottakKvittert'; readonly at: number; readonly mottakersystem: string }
  /**
   * The letter's files were deleted before its receiving system fetched it: nothing is left
   * to receive, so it leaves SvarInn undelivered (IKKE_LEVERT). Follows DokumenterSlettet.
   */
  | { readonly type: 'MottakAvbrutt'; readonly at: number; readonly mottakersystem: string }
  /**
   * A letter that was to go on paper (its print deadline passed unread, or its print was
   * ordered) whose sender deleted its documents: it is not printed, and ends IKKE_LEVERT.
   */
  | { readonly type: 'UtskriftAvbrutt'; readonly at: number }
  /**
   * A letter whose sender deleted its documents before it was accepted (still MOTTATT, its
   * file not built): nothing is left to deliver, so it ends IKKE_LEVERT. Follows
   * DokumenterSlettet.
   */
  | { readonly type: 'EkspederingAvbrutt'; readonly at: number }
  /**
   * The receiving system could not take the letter (SvarInn mottakFeilet). Permanent: the
   * letter leaves SvarInn and continues by the other channels (a KanalValgt follows).
   */
  | {
      readonly type: 'MottakFeilet';
      readonly at: number;
      readonly mottakersystem: string;
      readonly feilmelding: string;
      readonly permanent: boolean;
    };

/** The `type` of any event. */
export type ForsendelseEventType = ForsendelseEvent['type'];
