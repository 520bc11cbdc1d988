/**
 * The shipment log ("ekspederingslogg") in the real service's Norwegian wording
 * (docs/interfaces.md §4 retrieveForsendelseHistorikk): each event adds zero or more lines.
 */
import type { ForsendelseEvent } from './events.js';
import { hasNotificationAddress } from './notification-address.js';
import type { ForsendelseState } from './forsendelse-state.js';
import type { HistorikkEntry } from './model.js';
import { formatOsloTimestamp } from './time/index.js';

/** "1 dokument" / "3 dokumenter". */
function dokumenterTekst(n: number): string {
  return n === 1 ? '1 dokument' : `${n} dokumenter`;
}

/** Norwegian list of notification channels: "e-post", "SMS", "e-post og SMS". */
function kanalerTekst(kanaler: readonly ('epost' | 'sms')[]): string {
  const names = kanaler.map((k) => (k === 'epost' ? 'e-post' : 'SMS'));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} og ${names.at(-1)}` : (names[0] ?? 'ingen kanal');
}

/** The history lines an event adds, given the state before it. */
export function historyLinesOf(event: ForsendelseEvent, before: ForsendelseState | undefined): HistorikkEntry[] {
  const at = event.at;
  const line = (hendelse: string): HistorikkEntry => ({ at, hendelse });
  switch (event.type) {
    case 'Mottatt':
      return [
        line('Mottatt, og tildelt forsendelse-id'),
        line('Metadata er validert OK'),
        // Sic: the real service writes "Orginaldokumenter" (docs/interfaces.md §4).
        line(`Orginaldokumenter er lagret (${dokumenterTekst(event.dokumenter.length)})`),
        ...(event.advarsler ?? []).map((a) => line(`Advarsel: ${a}`)),
      ];
    case 'Akseptert':
      // A letter for a receiving system is accepted without a file: the system takes its documents.
      return event.forsendelsesfil === undefined && event.printfil === undefined
        ? [line('Akseptert for ekspedering')]
        : [line('Forsendelsesfil generert'), line('Akseptert for ekspedering')];
    case 'FilerDannet':
      return [line('Forsendelsesfil generert')];
    case 'Avvist':
      return [line(`Avvist: ${event.grunn}`)];
    case 'KanalValgt':
      return [line(event.grunn)];
    case 'VarslingStartet':
    case 'EpostOverfores':
    case 'PaminnelseEpostOverfores':
    case 'PaminnelseEpostAvvist':
    case 'UtskriftStartet':
      return [];
    case 'VarslingFeilet':
      return [
        line(
          `Varsling feilet${event.endelig === true ? '' : ' og blir forsøkt på nytt'}: ${event.feil}` +
            (event.fristAt === undefined
              ? ''
              : `. Lesefristen er satt til ${formatOsloTimestamp(event.fristAt)}; er forsendelsen ikke lest da, går den til print`),
        ),
      ];
    case 'Varslet': {
      if (event.usikker) {
        return [
          line(
            'Varsling ble avbrutt underveis mens e-posten ble overført og er trolig sendt; den sendes ikke på nytt for å unngå dobbel varsling' +
              (event.fristAt === undefined ? '' : `. Lesefristen utløper ${formatOsloTimestamp(event.fristAt)}`),
          ),
        ];
      }
      const frist = event.fristAt === undefined ? '' : `. Lesefristen utløper ${formatOsloTimestamp(event.fristAt)}`;
      // With an address whose every channel refused the notice, it is not "no address" (review).
      if (event.kanaler.length === 0 && before !== undefined && hasNotificationAddress(before))
        return [line(`Varslingen nådde ikke mottakeren; forsendelsen venter i digital innboks${frist}`)];
      if (event.kanaler.length === 0)
        return [line(`Ingen varslingsadresse; forsendelsen venter i digital innboks${frist}`)];
      return [line(`Varsling sendt til mottaker på ${kanalerTekst(event.kanaler)}${frist}`)];
    }
    case 'Paminnet':
      return [
        line(
          event.usikker === true
            ? 'Påminnelse ble avbrutt underveis mens e-posten ble overført og er trolig sendt; den sendes ikke på nytt for å unngå dobbel påminnelse'
            : 'Påminnelse sendt til mottaker',
        ),
      ];
    case 'VarselSendtPaNytt':
      return [line(`Varsel sendt på nytt til mottaker på ${kanalerTekst(event.kanaler)} av ${event.av}`)];
    case 'DokumentLastetNed':
      return [];
    case 'Lest':
      return [
        line(
          `Lest av mottaker ${formatOsloTimestamp(event.at)} (${event.alleDokumenter === true ? 'alle dokumentene lastet ned' : 'hele forsendelsen lastet ned'})`,
        ),
      ];
    case 'LestEksternt':
      return [
        line(
          `Lest eksternt ${formatOsloTimestamp(event.datoLest)} av ${event.fnr} hos avsender ${before?.avsender ?? ''} i systemet '${event.systemnavn}'`,
        ),
      ];
    case 'LesefristUtlopt':
      return [
        line(
          event.ingenVarsel === true
            ? 'Ingen varsel nådde mottakeren, så ingen kan åpne forsendelsen digitalt; den sendes til print nå'
            : 'Lesefrist utløpt.',
        ),
      ];
    case 'VarslingAvbrutt':
      return [
        line(
          'Ikke levert: ingen varsel nådde mottakeren, så ingen kan åpne forsendelsen, og den skal kun leveres digitalt',
        ),
      ];
    case 'SendtPrint':
      return [line(event.leverandor === 'manual' ? 'Sendt til manuell print' : 'Sendt til print')];
    case 'Printet': {
      const k = event.kvittering;
      const av = event.av === undefined ? '' : ` (bekreftet av ${event.av})`;
      return [line(`Printet: ${k.sider} sider, ${k.konvolutter} konvolutt${k.konvolutter === 1 ? '' : 'er'}${av}`)];
    }
    case 'ManueltHandtert':
      return [line(`Manuelt håndtert av ${event.av}: ${event.grunn}`)];
    case 'DokumenterSlettet':
      return [
        line(
          event.grunn === 'oppbevaringstid'
            ? 'Dokumenter slettet etter utløpt oppbevaringstid'
            : 'Dokumenter slettet på forespørsel fra avsender',
        ),
      ];
    case 'HentetAvMottakersystem':
      return [line('Forsendelsen er hentet av mottakersystemet (SvarInn)')];
    case 'MottakKvittert':
      return [line('Mottak kvittert av mottakersystemet (SvarInn)')];
    case 'MottakAvbrutt':
      return [
        line(
          before?.hentetAvMottakersystemAt === undefined
            ? 'Ikke levert: dokumentene ble slettet før mottakersystemet (SvarInn) hentet forsendelsen'
            : 'Ikke levert: mottakersystemet (SvarInn) fikk ikke tatt imot forsendelsen, og dokumentene er slettet',
        ),
      ];
    case 'UtskriftAvbrutt':
      return [
        line(
          before?.kanal === 'digital' && before.varsletAt === undefined && before.printBestiltAt === undefined
            ? 'Ikke levert: dokumentene ble slettet før mottaker ble varslet'
            : 'Ikke levert: dokumentene ble slettet før mottaker leste forsendelsen, så den skrives ikke ut',
        ),
      ];
    case 'EkspederingAvbrutt':
      return [line('Ikke levert: dokumentene ble slettet før forsendelsen ble ekspedert')];
    case 'MottakFeilet':
      return [
        line(
          before?.dokumenterSlettetAt !== undefined
            ? `Mottak feilet i mottakersystemet (SvarInn): ${event.feilmelding}. Dokumentene er slettet, så forsendelsen kan ikke hentes på nytt`
            : event.permanent
              ? `Mottak feilet i mottakersystemet (SvarInn), permanent: ${event.feilmelding}. Forsendelsen sendes videre på andre kanaler`
              : `Mottak feilet i mottakersystemet (SvarInn), forsøkes igjen: ${event.feilmelding}`,
        ),
      ];
    default: {
      const unhandled: never = event;
      throw new Error(`Unknown event ${JSON.stringify(unhandled)}`);
    }
  }
}
