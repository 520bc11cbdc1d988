/**
 * The forsendelse's behaviour as a pure decider (docs/architecture.md, conventions, after EventSourcing.NodeJS):
 * `decide(state, command)` → events. Commands from jobs that arrive late or twice decide
 * to nothing (a retry never acts twice); commands a person gives that make no sense in
 * the current state are refused with a ConflictError.
 */
import type { ForsendelseCommand } from './commands.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import type { ForsendelseEvent } from './events.js';
import {
  awaitsSvarInn,
  MAX_MANUELL_GRUNN,
  awaitsPrintDeadline,
  deletedBeforeAcceptance,
  inSvarInn,
  mayAcknowledgeSvarInn,
  mayRecordSvarInnDownload,
  mayBeHandledManually,
  mayRecordPrintHandOver,
  needsDigitalFile,
  needsNotification,
  inForsendelsesfil,
  needsPrint,
  needsReminder,
  notificationStopped,
  printStopped,
  strandedInSvarInn,
} from './delivery-rules.js';
import {
  evolve,
  isFinal,
  isReadableExternally,
  keepsStatusOverPrint,
  type ForsendelseState,
} from './forsendelse-state.js';
import { printReceiptRefusal } from './print-receipt.js';

/** The events `command` causes in `state` (empty when it changes nothing). */
export function decide(state: ForsendelseState | undefined, command: ForsendelseCommand): ForsendelseEvent[] {
  if (command.type === 'Motta') {
    if (state !== undefined) throw new ConflictError(`Forsendelse med id ${command.id} finnes allerede`);
    const { type: _t, ...rest } = command;
    return [{ type: 'Mottatt', ...rest }];
  }
  if (state === undefined) throw new NotFoundError();
  const at = command.at;
  switch (command.type) {
    case 'RegistrerForsendelsesfil': {
      const events = decideFiles(state, command);
      const { printfil, sendtPrint } = command;
      // The manual queue holds nothing of a letter that left MOTTATT without it (delivery-rules.ts).
      if (sendtPrint === undefined || printfil === undefined || sendtPrint.leverandor === 'manual') return events;
      // A copy handed over at once is with the provider whatever the letter became during the
      // hand-over (closed by hand, set read, its documents deleted): the print is recorded.
      if (events.reduce(evolve, state).sendtPrintAt !== undefined) return events;
      return [...events, { type: 'SendtPrint', at, leverandor: sendtPrint.leverandor, printfil }];
    }
    case 'Avvis':
      if (state.status !== 'MOTTATT') return [];
      return [{ type: 'Avvist', at, grunn: command.grunn }];
    case 'VelgKanal':
      if (state.status !== 'AKSEPTERT' || state.kanal !== undefined) return [];
      if (command.kanal === 'print' && state.input.kunDigitalLevering) {
        // docs/interfaces.md §8: kunDigitalLevering is never printed; the channel choice must say 'ingen'.
        throw new Error('kunDigitalLevering kan ikke sendes til print');
      }
      if ((command.kanal === 'svarinn') !== (command.mottakersystem !== undefined)) {
        throw new Error('Kanalen svarinn krever et mottakersystem, og bare den');
      }
      return [
        {
          type: 'KanalValgt',
          at,
          kanal: command.kanal,
          grunn: command.grunn,
          varsling: command.varsling,
          ...(command.mottakersystem === undefined ? {} : { mottakersystem: command.mottakersystem }),
        },
      ];
    case 'StartVarsling':
      if (!needsNotification(state) || state.varslingStartetAt !== undefined) return [];
      return [{ type: 'VarslingStartet', at }];
    case 'StartEpostOverforing':
      // The claim on the e-mail: of two runs (a lease that lapsed on a live node) one gets it.
      if (state.varslingStartetAt === undefined || state.varsletAt !== undefined || state.epostOverfortAt !== undefined)
        return [];
      return [{ type: 'EpostOverfores', at }];
    case 'RegistrerVarslingFeilet': {
      if (state.varslingStartetAt === undefined || state.varsletAt !== undefined) return [];
      const { type: _t, avslutt, fristAt, ...feil } = command;
      // The deadline starts with the first failure and is not moved by later ones.
      const frist = fristAt === undefined || state.fristAt !== undefined ? {} : { fristAt };
      if (avslutt === undefined) return [{ type: 'VarslingFeilet', ...feil, ...frist }];
      const feilet: ForsendelseEvent = { type: 'VarslingFeilet', ...feil, ...frist, endelig: true };
      // No channel reached the recipient, for good: the inbox opens only by a notice's link, so
      // the letter is not recorded as notified (VARSLET, found in review) to wait out a deadline
      // nobody can meet. It goes on paper now; a digital-only one is not delivered.
      // A letter closed by hand meanwhile stays closed (found in review: it became IKKE_LEVERT).
      if (avslutt.kanaler.length === 0 && avslutt.usikker !== true && state.lestAt === undefined && !isFinal(state)) {
        if (state.input.kunDigitalLevering) return [feilet, { type: 'VarslingAvbrutt', at }];
        if (state.printBestiltAt === undefined)
          return [
            feilet,
            state.dokumenterSlettetAt === undefined
              ? { type: 'LesefristUtlopt', at, ingenVarsel: true }
              : { type: 'UtskriftAvbrutt', at },
          ];
      }
      // One round trip for what took three: the same events the two commands would decide after it.
      return [
        feilet,
        ...decideInTurn(evolve(state, feilet), [
          { type: 'StartVarsling', at: avslutt.at },
          { type: 'RegistrerVarsling', ...avslutt },
        ]),
      ];
    }
    case 'RegistrerVarsling':
      if (state.varslingStartetAt === undefined || state.varsletAt !== undefined) return [];
      // A deadline that started with a failed attempt keeps running: the retries do not move it.
      // Past it (ordered for print while this run was sending), the notification names none.
      return [
        {
          type: 'Varslet',
          at,
          kanaler: command.kanaler,
          fristAt:
            command.fristAt === undefined || state.printBestiltAt !== undefined
              ? undefined
              : (state.fristAt ?? command.fristAt),
          usikker: command.usikker,
        },
      ];
    case 'StartPaminnelseEpostOverforing':
      // The claim on the reminder's e-mail: of two runs (a lease that lapsed on a live node) one gets it.
      if (!needsReminder(state) || state.paminnelseEpostOverfortAt !== undefined) return [];
      return [{ type: 'PaminnelseEpostOverfores', at }];
    case 'RegistrerPaminnelseEpostAvvist':
      if (!needsReminder(state) || state.paminnelseEpostOverfortAt === undefined) return [];
      return [{ type: 'PaminnelseEpostAvvist', at }];
    case 'RegistrerPaminnelse':
      if (!needsReminder(state)) return [];
      return [{ type: 'Paminnet', at, ...(command.usikker === true ? { usikker: true } : {}) }];
    case 'RegistrerVarselPaNytt':
      // Recorded after the fact: the message is out. The resender checked whyNoResend before it
      // sent; a deletion or a clerk's closing that came in between does not unsend it, so it is
      // recorded all the same (found in review: the notice went, the clerk got 409, and neither
      // the history nor the audit log had it). Only a letter never notified digitally has none.
      if (state.kanal !== 'digital' || state.varsletAt === undefined)
        throw new ConflictError('Forsendelsen er ikke varslet digitalt');
      if (command.kanaler.length === 0) throw new ConflictError('Forsendelsen har ingen varslingsadresse');
      return [{ type: 'VarselSendtPaNytt', at, av: command.av, kanaler: command.kanaler }];
    case 'MarkerLest': {
      // The whole forsendelsesfil downloaded: read, when it holds every document. One it leaves
      // out (not a PDF) is read only when downloaded by itself, so the file counts as the
      // downloads of those it holds: a cover alone was taken as reading a .docx (review).
      if (state.lestAt !== undefined) return [];
      const held = state.dokumenter.flatMap((d, i) => (inForsendelsesfil(state, d) ? [i] : []));
      if (held.length === state.dokumenter.length) return [{ type: 'Lest', at }];
      const downloaded = new Set(state.nedlastet ?? []);
      const fresh = held.filter((i) => !downloaded.has(i));
      for (const i of fresh) downloaded.add(i);
      const all = state.dokumenter.every((_, i) => downloaded.has(i));
      return [
        ...fresh.map((index): ForsendelseEvent => ({ type: 'DokumentLastetNed', at, index })),
        ...(all ? [{ type: 'Lest' as const, at, alleDokumenter: true }] : []),
      ];
    }
    case 'RegistrerDokumentNedlastet': {
      // Downloading every document counts as reading the letter, as the whole forsendelsesfil does.
      const index = command.index;
      if (state.lestAt !== undefined || state.nedlastet?.includes(index)) return [];
      if (!Number.isSafeInteger(index) || index < 0 || index >= state.dokumenter.length) return [];
      const downloaded = new Set([...(state.nedlastet ?? []), index]);
      const all = state.dokumenter.every((_, i) => downloaded.has(i));
      return [
        { type: 'DokumentLastetNed', at, index },
        ...(all ? [{ type: 'Lest' as const, at, alleDokumenter: true }] : []),
      ];
    }
    case 'MarkerLestEksternt':
      // A read time that is no time (REST datoLest "igår" or 1e20) would be journaled and then break evolve on every replay.
      if (Number.isNaN(new Date(command.datoLest).getTime()))
        throw new ValidationError([{ field: 'datoLest', message: 'Ugyldig datoLest: må være et gyldig tidspunkt' }]);
      if (!isReadableExternally(state) && state.lestAt !== undefined) return [];
      return [
        { type: 'LestEksternt', at, datoLest: command.datoLest, fnr: command.fnr, systemnavn: command.systemnavn },
      ];
    case 'LesefristUtlopt':
      // Only an unread letter notified, or still being notified, goes to print; kunDigitalLevering never does.
      if (!awaitsPrintDeadline(state)) return [];
      // Its documents deleted by its sender while it waited unread: it cannot go on paper.
      if (state.dokumenterSlettetAt !== undefined) return [{ type: 'UtskriftAvbrutt', at }];
      return [{ type: 'LesefristUtlopt', at }];
    case 'StartUtskrift':
      if (!needsPrint(state) || state.utskriftStartetAt !== undefined) return [];
      return [{ type: 'UtskriftStartet', at }];
    case 'RegistrerSendtPrint':
      if (!mayRecordPrintHandOver(state, command.leverandor)) return [];
      return [{ type: 'SendtPrint', at, leverandor: command.leverandor, printfil: command.printfil }];
    case 'RegistrerPrintkvittering':
      if (
        command.leverandor !== undefined &&
        state.printLeverandor !== undefined &&
        state.printLeverandor !== command.leverandor
      ) {
        throw new ConflictError(
          `Printkvitteringen kan ikke brukes: ${printReceiptRefusal(state, command.leverandor) ?? 'annen printkanal'}`,
        );
      }
      // Ended (read, closed by hand, deleted) after it went to print: the provider's receipt is still recorded, once.
      if (keepsStatusOverPrint(state) && state.sendtPrintAt !== undefined) {
        if (state.printetAt !== undefined) return [];
        return [{ type: 'Printet', at, kvittering: command.kvittering, av: command.av }];
      }
      if (state.status !== 'SENDT_PRINT') {
        if (state.status === 'PRINTET') return []; // a repeated receipt changes nothing
        throw new ConflictError(`Forsendelsen har status ${state.status} og er ikke sendt til print`);
      }
      return [{ type: 'Printet', at, kvittering: command.kvittering, av: command.av }];
    case 'MarkerManueltHandtert':
      if (state.status === 'MANUELT_HANDTERT') throw new ConflictError('Forsendelsen er allerede manuelt håndtert');
      if (!mayBeHandledManually(state))
        throw new ConflictError(
          `Forsendelsen har status ${state.status} og er ferdig behandlet; den kan ikke merkes som manuelt håndtert`,
        );
      if (command.grunn.trim() === '') throw new ConflictError('Oppgi en begrunnelse for manuell håndtering');
      if (command.grunn.trim().length > MAX_MANUELL_GRUNN)
        throw new ValidationError([
          {
            field: 'grunn',
            message: `For lang begrunnelse: grunn kan ha høyst ${MAX_MANUELL_GRUNN} tegn (har ${command.grunn.trim().length})`,
          },
        ]);
      return [{ type: 'ManueltHandtert', at, av: command.av, grunn: command.grunn.trim() }];
    case 'SlettDokumenter': {
      // A letter its receiving system never fetched cannot be received without its files: it
      // ends IKKE_LEVERT rather than wait unlisted for good (docs/interfaces.md §11). One whose
      // files went before this rule ends on the next deletion (its pending purge).
      // So does a letter due for print (docs/interfaces.md §7): it cannot be printed without them.
      // And one not accepted yet: nothing was built from them (docs/interfaces.md §10).
      const avbrutt = (s: ForsendelseState): ForsendelseEvent[] => {
        if (strandedInSvarInn(s)) return [{ type: 'MottakAvbrutt', at, mottakersystem: s.mottakersystem as string }];
        if (deletedBeforeAcceptance(s)) return [{ type: 'EkspederingAvbrutt', at }];
        return printStopped(s) || notificationStopped(s) ? [{ type: 'UtskriftAvbrutt', at }] : [];
      };
      if (state.dokumenterSlettetAt !== undefined) return avbrutt(state);
      const slettet: ForsendelseEvent = { type: 'DokumenterSlettet', at, grunn: command.grunn };
      return [slettet, ...avbrutt(evolve(state, slettet))];
    }
    case 'RegistrerHentetAvMottakersystem':
    case 'KvitterMottak':
    case 'MeldMottakFeilet':
      return decideSvarInn(state, command);
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown command ${JSON.stringify(unhandled)}`);
    }
  }
}

/** The SvarInn commands (docs/interfaces.md §11): only the letter's own receiving system gives them. */
function decideSvarInn(
  state: ForsendelseState,
  command: Extract<
    ForsendelseCommand,
    { type: 'RegistrerHentetAvMottakersystem' | 'KvitterMottak' | 'MeldMottakFeilet' }
  >,
): ForsendelseEvent[] {
  if (state.mottakersystem !== command.mottakersystem) throw new NotFoundError();
  const at = command.at;
  switch (command.type) {
    case 'RegistrerHentetAvMottakersystem':
      if (!mayRecordSvarInnDownload(state)) return [];
      return [{ type: 'HentetAvMottakersystem', at, mottakersystem: command.mottakersystem }];
    case 'KvitterMottak':
      // A repeated acknowledgement (a retry after a lost answer) changes nothing; a letter the
      // system downloaded is acknowledged even when its files have since been deleted.
      if (state.mottakKvittertAt !== undefined) return [];
      if (!mayAcknowledgeSvarInn(state)) throw new NotFoundError();
      return [{ type: 'MottakKvittert', at, mottakersystem: command.mottakersystem }];
    case 'MeldMottakFeilet': {
      if (!awaitsSvarInn(state)) {
        // A repeated permanent report (a retry after a lost answer) changes nothing, as a
        // repeated acknowledgement does.
        if (command.permanent && state.mottakFeiletPermanentAt !== undefined) return [];
        if (state.mottakKvittertAt !== undefined || !mayAcknowledgeSvarInn(state)) throw new NotFoundError();
        // Downloaded, then its files deleted: the system says it could not take it in, and it
        // cannot fetch it again or be sent on without them. The report is recorded, and a letter
        // still waiting ends IKKE_LEVERT (found in review: 404, nothing recorded, and the letter
        // left KLAR_FOR_MOTTAK, unlisted, for good).
        // Journaled as a temporary failure whatever it says: there is no channel to send it on
        // by, and a version before 7 December 2026 replays a permanent one as "choose a channel
        // again" (a rollback would revive the letter; found in review). Its history line says
        // what happened either way.
        const feilet: ForsendelseEvent = {
          type: 'MottakFeilet',
          at,
          mottakersystem: command.mottakersystem,
          feilmelding: command.feilmelding,
          permanent: false,
        };
        if (!inSvarInn(state)) return temporaryFailureWorthRecording(state, command.feilmelding, at) ? [feilet] : [];
        return [feilet, { type: 'MottakAvbrutt', at, mottakersystem: command.mottakersystem }];
      }
      if (!command.permanent && !temporaryFailureWorthRecording(state, command.feilmelding, at)) return [];
      const feilet: ForsendelseEvent = {
        type: 'MottakFeilet',
        at,
        mottakersystem: command.mottakersystem,
        feilmelding: command.feilmelding,
        permanent: command.permanent,
      };
      // Set read by its sender while it waited (LestEksternt): it ends LEST, sent on by no channel.
      if (!command.permanent || state.lestAt !== undefined) return [feilet];
      if (command.nyKanal === undefined || command.nyKanal.kanal === 'svarinn') {
        throw new Error('Permanent mottaksfeil krever en annen kanal');
      }
      return [feilet, ...decideInTurn(evolve(state, feilet), [{ type: 'VelgKanal', at, ...command.nyKanal }])];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown command ${JSON.stringify(unhandled)}`);
    }
  }
}

/** At most this many temporary failures are recorded for one letter (a line of its history each). */
export const MAX_TEMPORARY_FAILURES = 50;
/** A temporary failure with the same text as the last one recorded within this time is a repeat. */
const REPEAT_WINDOW_MS = 24 * 3_600_000;

/**
 * Whether a temporary mottakFeilet adds a line to the history: a receiving system that fails
 * on every poll (every 15 minutes, ~35 000 times a year) grew a letter's history and its record
 * without bound, every report rewriting it whole (found in a review). Its first report and any
 * new text are kept, the same text again after a day, up to MAX_TEMPORARY_FAILURES; the
 * rest are answered as received and change nothing.
 */
function temporaryFailureWorthRecording(state: ForsendelseState, feilmelding: string, at: number): boolean {
  const last = state.mottakFeiletMidlertidig;
  if (last === undefined) return true;
  if (last.antall >= MAX_TEMPORARY_FAILURES) return false;
  return last.feilmelding !== feilmelding || at - last.at >= REPEAT_WINDOW_MS;
}

/** RegistrerForsendelsesfil without its print hand-over's safety net (decide adds that). */
function decideFiles(
  state: ForsendelseState,
  command: Extract<ForsendelseCommand, { type: 'RegistrerForsendelsesfil' }>,
): ForsendelseEvent[] {
  const { at, forsendelsesfil, printfil, kanalvalg, sendtPrint } = command;
  if (state.status === 'MOTTATT') {
    const akseptert: ForsendelseEvent = { type: 'Akseptert', at, forsendelsesfil, printfil };
    if (kanalvalg === undefined) return [akseptert];
    // The channel chosen with the acceptance: the events VelgKanal would decide right after
    // it, and for a print copy already handed over, those RegistrerSendtPrint would decide.
    const handedOver: ForsendelseCommand[] =
      sendtPrint === undefined || printfil === undefined
        ? []
        : [{ type: 'RegistrerSendtPrint', at, leverandor: sendtPrint.leverandor, printfil }];
    return [
      akseptert,
      ...decideInTurn(evolve(state, akseptert), [{ type: 'VelgKanal', at, ...kanalvalg }, ...handedOver]),
    ];
  }
  // Later, only the digital file of a letter that needs it now (a run that came twice, or
  // late, adds nothing); the print copy is registered with the print hand-over (SendtPrint).
  if (forsendelsesfil === undefined || !needsDigitalFile(state)) return [];
  return [{ type: 'FilerDannet', at, forsendelsesfil }];
}

/** The events `commands` decide one after the other, each on the state the ones before left. */
function decideInTurn(state: ForsendelseState, commands: readonly ForsendelseCommand[]): ForsendelseEvent[] {
  const events: ForsendelseEvent[] = [];
  let current = state;
  for (const command of commands) {
    for (const event of decide(current, command)) {
      events.push(event);
      current = evolve(current, event);
    }
  }
  return events;
}
