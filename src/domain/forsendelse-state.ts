/**
 * The state of one forsendelse, rebuilt from its events by `evolve`. It is plain JSON:
 * the read model stores it whole as the forsendelse's view.
 */
import type { FilRef, ForsendelseEvent, Varslingsadresse } from './events.js';
import { historyLinesOf } from './history.js';
import type {
  ForsendelseInput,
  ForsendelseStatus,
  HistorikkEntry,
  Kanal,
  PrintKvittering,
  StoredDokument,
} from './model.js';

export interface ForsendelseState {
  readonly id: string;
  readonly avsender: string;
  readonly status: ForsendelseStatus;
  readonly sisteStatusEndring: number;
  readonly mottattAt: number;
  readonly input: ForsendelseInput;
  readonly dokumenter: readonly StoredDokument[];
  /** Hash of the content as handed in (Mottatt), for a resend under the same id. */
  readonly innholdSha256?: string;
  readonly forsendelsesfil?: FilRef;
  readonly printfil?: FilRef;
  readonly avvistGrunn?: string;
  readonly kanal?: Kanal;
  readonly kanalGrunn?: string;
  readonly varsling?: Varslingsadresse;
  readonly varslingStartetAt?: number;
  /** Set while the e-mail may be with the SMTP server (EpostOverfores) and no refusal came back. */
  readonly epostOverfortAt?: number;
  /** Channels delivered by notification runs that then failed on another channel. */
  readonly varselLevert?: readonly ('epost' | 'sms')[];
  readonly varsletAt?: number;
  readonly varsletKanaler?: readonly ('epost' | 'sms')[];
  readonly fristAt?: number;
  readonly paminnetAt?: number;
  /** Set while the reminder's e-mail may be with the SMTP server (PaminnelseEpostOverfores) and no refusal came back. */
  readonly paminnelseEpostOverfortAt?: number;
  /** Set when the letter is due for print (reserved recipient, no digital address, deadline). */
  readonly printBestiltAt?: number;
  /** Set when a print job first starts handing the copy over (UtskriftStartet): the hand-over is recorded whatever happens during it. */
  readonly utskriftStartetAt?: number;
  readonly sendtPrintAt?: number;
  readonly printLeverandor?: 'filedrop' | 'manual';
  readonly printetAt?: number;
  readonly kvittering?: PrintKvittering;
  readonly lestAt?: number;
  /** Indexes of the documents the recipient has downloaded whole, before the letter counted as read. */
  readonly nedlastet?: readonly number[];
  readonly manueltHandtert?: { readonly at: number; readonly av: string; readonly grunn: string };
  /** When the letter left Budbringer (notified, printed, handed to SvarInn): retention counts from here. */
  readonly sendtAt?: number;
  readonly dokumenterSlettetAt?: number;
  /** Why: at the end of the retention period, or at its sender's request (slettFiler). */
  readonly dokumenterSlettetGrunn?: 'oppbevaringstid' | 'avsender';
  /** The receiving system (SvarInn) the letter was routed to, by id; kept after a permanent failure. */
  readonly mottakersystem?: string;
  /** First SvarInn download by the receiving system. */
  readonly hentetAvMottakersystemAt?: number;
  /** SvarInn kvitterMottak. */
  readonly mottakKvittertAt?: number;
  /** Set when the receiving system reported a permanent failure: the letter left SvarInn. */
  readonly mottakFeiletPermanentAt?: number;
  /** The temporary failures the receiving system reported: how many were recorded, and the last. */
  readonly mottakFeiletMidlertidig?: { readonly antall: number; readonly at: number; readonly feilmelding: string };
  readonly historikk: readonly HistorikkEntry[];
}

/** Statuses after which no delivery step runs any more. */
export const FINAL_STATUSES: readonly ForsendelseStatus[] = [
  'AVVIST',
  'IKKE_LEVERT',
  'MANUELT_HANDTERT',
  'LEST',
  'PRINTET',
];

/**
 * Statuses from which reading the letter makes it LEST (after print, reading adds history
 * only). Not KLAR_FOR_MOTTAK: a letter waiting in SvarInn stays listed for its receiving
 * system until that system acknowledges it (kvitterMottak, which makes it LEST); a read
 * reported meanwhile, such as the sender's settLest, is recorded (time, history) and the
 * letter still reaches the archive it was sent to.
 */
const READABLE_STATUSES: readonly ForsendelseStatus[] = ['AKSEPTERT', 'VARSLET', 'SENDT_DIGITALT'];

/**
 * Statuses from which a read reported by the sender's own system (settLest) makes the letter
 * LEST: also after it went to print, since the status can change at any time and the print
 * stays in the history (docs/interfaces.md §7).
 */
const EXTERNALLY_READABLE_STATUSES: readonly ForsendelseStatus[] = [...READABLE_STATUSES, 'SENDT_PRINT', 'PRINTET'];

/** True when the forsendelse needs no further delivery work. */
export function isFinal(state: ForsendelseState): boolean {
  return FINAL_STATUSES.includes(state.status);
}

/**
 * True when a print recorded now (SendtPrint, Printet) leaves the status as it is: the letter
 * ended meanwhile, read (LEST says more than SENDT_PRINT), closed by hand, or IKKE_LEVERT by
 * its sender's deletion; a final status the sender's system has seen is never reopened.
 */
export function keepsStatusOverPrint(state: ForsendelseState): boolean {
  return isFinal(state) && state.status !== 'PRINTET';
}

/** True when reading now changes the status to LEST. */
export function isReadable(state: ForsendelseState): boolean {
  return READABLE_STATUSES.includes(state.status);
}

/** True when a read reported by the sender's system (settLest) now changes the status to LEST. */
export function isReadableExternally(state: ForsendelseState): boolean {
  return EXTERNALLY_READABLE_STATUSES.includes(state.status);
}

/** The state after `event` (the first event, Mottatt, creates it). */
export function evolve(state: ForsendelseState | undefined, event: ForsendelseEvent): ForsendelseState {
  if (event.type === 'Mottatt') {
    return {
      id: event.id,
      avsender: event.avsender,
      status: 'MOTTATT',
      sisteStatusEndring: event.at,
      mottattAt: event.at,
      input: event.input,
      dokumenter: event.dokumenter,
      ...(event.innholdSha256 === undefined ? {} : { innholdSha256: event.innholdSha256 }),
      historikk: historyLinesOf(event, undefined),
    };
  }
  if (state === undefined) throw new Error(`Event ${event.type} before Mottatt`);
  const historikk = [...state.historikk, ...historyLinesOf(event, state)];
  const s = { ...state, historikk };
  const withStatus = (status: ForsendelseStatus): ForsendelseState =>
    status === state.status ? s : { ...s, status, sisteStatusEndring: event.at };
  switch (event.type) {
    case 'Akseptert':
      // Read before it was accepted (settLest while MOTTATT): reading stops further processing (docs/interfaces.md §4).
      return {
        ...withStatus(state.lestAt === undefined ? 'AKSEPTERT' : 'LEST'),
        forsendelsesfil: event.forsendelsesfil,
        printfil: event.printfil,
      };
    case 'FilerDannet':
      return { ...s, forsendelsesfil: state.forsendelsesfil ?? event.forsendelsesfil };
    case 'Avvist':
      return { ...withStatus('AVVIST'), avvistGrunn: event.grunn, sendtAt: event.at };
    case 'KanalValgt': {
      const base = {
        ...s,
        kanal: event.kanal,
        kanalGrunn: event.grunn,
        varsling: event.varsling,
        ...(event.mottakersystem === undefined ? {} : { mottakersystem: event.mottakersystem }),
      };
      if (event.kanal === 'ingen')
        return { ...base, status: 'IKKE_LEVERT', sisteStatusEndring: event.at, sendtAt: event.at };
      if (event.kanal === 'svarinn')
        return { ...base, status: 'KLAR_FOR_MOTTAK', sisteStatusEndring: event.at, sendtAt: event.at };
      if (event.kanal === 'print') return { ...base, printBestiltAt: event.at };
      return base;
    }
    case 'VarslingStartet':
      return { ...s, varslingStartetAt: event.at };
    case 'EpostOverfores':
      return { ...s, epostOverfortAt: event.at };
    case 'VarslingFeilet': {
      const levert = [...new Set([...(state.varselLevert ?? []), ...(event.levert ?? [])])];
      return {
        ...s,
        varslingStartetAt: undefined,
        epostOverfortAt: event.epostIkkeLevert === true ? undefined : state.epostOverfortAt,
        ...(event.fristAt === undefined || state.fristAt !== undefined ? {} : { fristAt: event.fristAt }),
        ...(levert.length === 0 ? {} : { varselLevert: levert }),
      };
    }
    case 'Varslet': {
      // Read or closed by hand while the notification was in flight, or ordered for print at
      // its deadline meanwhile (a notification retried past it): it stays so, with no new deadline.
      if (isFinal(state) || state.lestAt !== undefined || state.printBestiltAt !== undefined) {
        return { ...s, varsletAt: event.at, varsletKanaler: event.kanaler, sendtAt: state.sendtAt ?? event.at };
      }
      const status = state.input.kunDigitalLevering ? 'SENDT_DIGITALT' : 'VARSLET';
      return {
        ...withStatus(status),
        varsletAt: event.at,
        varsletKanaler: event.kanaler,
        fristAt: event.fristAt,
        sendtAt: event.at,
      };
    }
    case 'PaminnelseEpostOverfores':
      return { ...s, paminnelseEpostOverfortAt: event.at };
    case 'PaminnelseEpostAvvist':
      return { ...s, paminnelseEpostOverfortAt: undefined };
    case 'Paminnet':
      return { ...s, paminnetAt: event.at };
    case 'VarselSendtPaNytt':
      return s;
    case 'DokumentLastetNed':
      return { ...s, nedlastet: [...(state.nedlastet ?? []), event.index] };
    case 'Lest':
      return { ...(isReadable(state) ? withStatus('LEST') : s), lestAt: state.lestAt ?? event.at };
    case 'LestEksternt':
      return { ...(isReadableExternally(state) ? withStatus('LEST') : s), lestAt: state.lestAt ?? event.at };
    case 'LesefristUtlopt':
      return { ...s, printBestiltAt: event.at };
    case 'UtskriftStartet':
      return { ...s, utskriftStartetAt: event.at };
    case 'SendtPrint':
      // Ended (read, closed by hand, deleted) while the copy was being handed over: it stays so, the print joins its history.
      return {
        ...(keepsStatusOverPrint(state) ? s : withStatus('SENDT_PRINT')),
        sendtPrintAt: event.at,
        printLeverandor: event.leverandor,
        printfil: event.printfil,
        sendtAt: state.sendtAt ?? event.at,
      };
    case 'Printet':
      // Read (settLest) after it went to print: it stays LEST, the receipt joins its history.
      return {
        ...(keepsStatusOverPrint(state) ? s : withStatus('PRINTET')),
        printetAt: event.kvittering.printetAt,
        kvittering: event.kvittering,
      };
    case 'ManueltHandtert':
      return { ...withStatus('MANUELT_HANDTERT'), manueltHandtert: { at: event.at, av: event.av, grunn: event.grunn } };
    case 'DokumenterSlettet':
      // The notice addresses (from KRR) served only to notify about these documents: the view
      // and the admin web keep them no longer (found in review; KRR's terms forbid keeping a
      // local copy). The KanalValgt event in the journal still holds them (docs/operations.md).
      return { ...withoutVarsling(s), dokumenterSlettetAt: event.at, dokumenterSlettetGrunn: event.grunn };
    case 'HentetAvMottakersystem':
      return { ...s, hentetAvMottakersystemAt: event.at };
    case 'MottakKvittert':
      // Retention counts from here: until the receiving system took it, the letter waited in SvarInn.
      return { ...withStatus('LEST'), lestAt: state.lestAt ?? event.at, mottakKvittertAt: event.at, sendtAt: event.at };
    case 'MottakAvbrutt':
      // Its files are gone and its receiving system never fetched it: it will not reach the recipient.
      return withStatus('IKKE_LEVERT');
    case 'UtskriftAvbrutt':
      // Its files are gone and it was to go on paper, unread: it will not reach the recipient.
      return withStatus('IKKE_LEVERT');
    case 'VarslingAvbrutt':
      // No notice reached anyone and it may not go on paper: it will not reach the recipient.
      return withStatus('IKKE_LEVERT');
    case 'EkspederingAvbrutt':
      // Its files are gone before it was accepted: nothing was built from them, nothing is sent.
      return withStatus('IKKE_LEVERT');
    case 'MottakFeilet':
      if (!event.permanent) {
        const antall = (state.mottakFeiletMidlertidig?.antall ?? 0) + 1;
        return { ...s, mottakFeiletMidlertidig: { antall, at: event.at, feilmelding: event.feilmelding } };
      }
      // Back to where the channel is chosen: the KanalValgt that follows sends it on (docs/interfaces.md §11).
      // One its sender set read while it waited is LEST instead, with no channel, as one set
      // read before acceptance is: a read stops further delivery (no notice, no print).
      return {
        ...withStatus(state.lestAt === undefined ? 'AKSEPTERT' : 'LEST'),
        kanal: undefined,
        kanalGrunn: undefined,
        mottakFeiletPermanentAt: event.at,
      };
    default: {
      const unhandled: never = event;
      throw new Error(`Unknown event ${JSON.stringify(unhandled)}`);
    }
  }
}

/** `s` without its notice addresses (no key left behind: the state is plain JSON). */
function withoutVarsling(s: ForsendelseState): ForsendelseState {
  const { varsling, ...rest } = s;
  return varsling === undefined ? s : rest;
}
