/**
 * The words of the inbox's other pages, in the letter page's three languages
 * (inbox-texts.ts): the one-time code, a link that no longer works, too many tries, a
 * document that is not there. A recipient who reads the letter page in nynorsk or English
 * gets the code step and its errors in the same language, and the code's SMS too.
 */
import { formatOsloTimestamp } from '../../domain/time/index.js';
import type { Sprak } from './inbox-texts.js';

/** The texts of the inbox's pages besides the letter itself. */
export interface InboxPageTexts {
  readonly ikkeTilgjengelig: string;
  readonly lenkeUtlopt: string;
  /** The letter's documents are deleted: when, and why where known (retention, or its sender). */
  readonly slettet: (at: number, grunn?: 'oppbevaringstid' | 'avsender') => string;
  readonly kontaktAvsender: string;
  readonly ugyldigLenke: string;
  readonly lenkeUgyldigSjekk: string;
  readonly fantIkkeBrevet: string;
  readonly lenkeUgyldig: string;
  readonly bekreftDeg: string;
  /** Shown after «Send kode»: the code is on its way. */
  readonly kodeSendt: string;
  readonly sikkerPalogging: string;
  readonly sendKode: string;
  readonly engangskode: string;
  /** Under the code field: what a code looks like (the page said nothing; WCAG 3.3.2). */
  readonly engangskodeHint: string;
  /** A code that is not six digits: no guess is counted. */
  readonly kodeSeksSifre: string;
  readonly bekreft: string;
  readonly forMangeForsok: string;
  /** How long to wait (ms), in whole minutes, or whole hours from one hour: a lock doubles up to a day. */
  readonly vent: (ms: number) => string;
  readonly tilbake: string;
  readonly kanIkkeSendeKode: string;
  readonly ingenMobil: string;
  readonly flereKoder: string;
  readonly kunneIkkeSendeKode: string;
  readonly provIgjenOmLitt: string;
  readonly forMangeFeil: string;
  readonly feilKode: string;
  readonly kodeFeil: string;
  /** A right code that was already used (each code opens the letter once). */
  readonly kodeBrukt: string;
  readonly provIgjen: string;
  readonly bekreftForst: string;
  readonly finnesIkke: string;
  readonly dokumentetFinnesIkke: string;
  readonly ingenLogo: string;
  readonly forStortSkjema: string;
  readonly ugyldigSkjema: string;
  /** A request that failed on our side (logged): the page, not a bare 500. */
  readonly noeGikkGalt: string;
  readonly provIgjenSenere: string;
  /** The SMS that carries the one-time code. */
  readonly kodeSms: (avsender: string, kode: string) => string;
}

/** `ms` rounded up to whole minutes, or to whole hours from one hour, with the unit's singular or plural. */
function ventetid(ms: number, minutt: readonly [string, string], time: readonly [string, string]): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  if (minutes < 60) return `${minutes} ${minutes === 1 ? minutt[0] : minutt[1]}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} ${hours === 1 ? time[0] : time[1]}`;
}

export const INBOX_PAGE_TEXTS: Readonly<Record<Sprak, InboxPageTexts>> = {
  nb: {
    ikkeTilgjengelig: 'Brevet er ikke lenger tilgjengelig',
    lenkeUtlopt: 'Lenken er utløpt.',
    slettet: (at, grunn) =>
      grunn === 'avsender'
        ? `Avsenderen slettet brevet ${formatOsloTimestamp(at)}.`
        : grunn === 'oppbevaringstid'
          ? `Brevet ble slettet ${formatOsloTimestamp(at)} etter oppbevaringstiden.`
          : `Brevet ble slettet ${formatOsloTimestamp(at)}.`,
    kontaktAvsender: 'Ta kontakt med avsenderen hvis du trenger brevet.',
    ugyldigLenke: 'Ugyldig lenke',
    lenkeUgyldigSjekk: 'Lenken er ikke gyldig. Sjekk at hele lenken fra varselet ble med.',
    fantIkkeBrevet: 'Fant ikke brevet.',
    lenkeUgyldig: 'Lenken er ikke gyldig.',
    bekreftDeg: 'Bekreft at det er deg',
    kodeSendt: 'Vi har sendt en engangskode på SMS til mobilnummeret ditt. Skriv den inn nedenfor.',
    sikkerPalogging: 'Dette brevet krever sikker pålogging. Vi sender en engangskode på SMS til mobilnummeret ditt.',
    sendKode: 'Send kode',
    engangskode: 'Engangskode',
    engangskodeHint: '6 sifre, fra SMS-en',
    kodeSeksSifre: 'Koden er 6 sifre. Skriv den slik den står i SMS-en.',
    bekreft: 'Bekreft',
    forMangeForsok: 'For mange forsøk',
    vent: (ms) => `Vent ${ventetid(ms, ['minutt', 'minutter'], ['time', 'timer'])} før du prøver igjen.`,
    tilbake: 'Tilbake til brevet',
    kanIkkeSendeKode: 'Kan ikke sende kode',
    ingenMobil: 'Vi har ikke noe mobilnummer til deg. Ta kontakt med avsenderen.',
    flereKoder: 'Vi har allerede sendt deg flere koder for dette brevet.',
    kunneIkkeSendeKode: 'Kunne ikke sende kode',
    provIgjenOmLitt: 'Vi fikk ikke sendt koden akkurat nå. Prøv igjen om litt.',
    forMangeFeil: 'For mange feil koder for dette brevet.',
    feilKode: 'Feil kode',
    kodeFeil: 'Koden er feil eller utløpt.',
    kodeBrukt: 'Koden er allerede brukt. Be om en ny kode.',
    provIgjen: 'Prøv igjen',
    bekreftForst: 'Bekreft med engangskode først.',
    finnesIkke: 'Finnes ikke',
    dokumentetFinnesIkke: 'Dokumentet finnes ikke.',
    ingenLogo: 'Avsenderen har ingen logo.',
    forStortSkjema: 'For stort skjema',
    ugyldigSkjema: 'Ugyldig skjema',
    noeGikkGalt: 'Noe gikk galt',
    provIgjenSenere: 'Vi kunne ikke vise dette akkurat nå. Prøv igjen senere.',
    kodeSms: (avsender, kode) => `Engangskode for brev fra ${avsender}: ${kode}`,
  },
  nn: {
    ikkeTilgjengelig: 'Brevet er ikkje lenger tilgjengeleg',
    lenkeUtlopt: 'Lenka har gått ut.',
    slettet: (at, grunn) =>
      grunn === 'avsender'
        ? `Avsendaren sletta brevet ${formatOsloTimestamp(at)}.`
        : grunn === 'oppbevaringstid'
          ? `Brevet vart sletta ${formatOsloTimestamp(at)} etter oppbevaringstida.`
          : `Brevet vart sletta ${formatOsloTimestamp(at)}.`,
    kontaktAvsender: 'Ta kontakt med avsendaren om du treng brevet.',
    ugyldigLenke: 'Ugyldig lenke',
    lenkeUgyldigSjekk: 'Lenka er ikkje gyldig. Sjekk at heile lenka frå varselet vart med.',
    fantIkkeBrevet: 'Fann ikkje brevet.',
    lenkeUgyldig: 'Lenka er ikkje gyldig.',
    bekreftDeg: 'Stadfest at det er deg',
    kodeSendt: 'Vi har sendt ein eingongskode på SMS til mobilnummeret ditt. Skriv han inn nedanfor.',
    sikkerPalogging: 'Dette brevet krev sikker pålogging. Vi sender ein eingongskode på SMS til mobilnummeret ditt.',
    sendKode: 'Send kode',
    engangskode: 'Eingongskode',
    engangskodeHint: '6 siffer, frå SMS-en',
    kodeSeksSifre: 'Koden er 6 siffer. Skriv han slik han står i SMS-en.',
    bekreft: 'Stadfest',
    forMangeForsok: 'For mange forsøk',
    vent: (ms) => `Vent ${ventetid(ms, ['minutt', 'minutt'], ['time', 'timar'])} før du prøver igjen.`,
    tilbake: 'Tilbake til brevet',
    kanIkkeSendeKode: 'Kan ikkje sende kode',
    ingenMobil: 'Vi har ikkje noko mobilnummer til deg. Ta kontakt med avsendaren.',
    flereKoder: 'Vi har allereie sendt deg fleire kodar for dette brevet.',
    kunneIkkeSendeKode: 'Kunne ikkje sende kode',
    provIgjenOmLitt: 'Vi fekk ikkje sendt koden akkurat no. Prøv igjen om litt.',
    forMangeFeil: 'For mange feil kodar for dette brevet.',
    feilKode: 'Feil kode',
    kodeFeil: 'Koden er feil eller har gått ut.',
    kodeBrukt: 'Koden er alt brukt. Be om ein ny kode.',
    provIgjen: 'Prøv igjen',
    bekreftForst: 'Stadfest med eingongskode først.',
    finnesIkke: 'Finst ikkje',
    dokumentetFinnesIkke: 'Dokumentet finst ikkje.',
    ingenLogo: 'Avsendaren har ingen logo.',
    forStortSkjema: 'For stort skjema',
    ugyldigSkjema: 'Ugyldig skjema',
    noeGikkGalt: 'Noko gjekk gale',
    provIgjenSenere: 'Vi kunne ikkje vise dette akkurat no. Prøv igjen seinare.',
    kodeSms: (avsender, kode) => `Eingongskode for brev frå ${avsender}: ${kode}`,
  },
  en: {
    ikkeTilgjengelig: 'The letter is no longer available',
    lenkeUtlopt: 'The link has expired.',
    slettet: (at, grunn) =>
      grunn === 'avsender'
        ? `The sender deleted the letter on ${formatOsloTimestamp(at)}.`
        : grunn === 'oppbevaringstid'
          ? `The letter was deleted on ${formatOsloTimestamp(at)} at the end of its retention period.`
          : `The letter was deleted on ${formatOsloTimestamp(at)}.`,
    kontaktAvsender: 'Contact the sender if you need the letter.',
    ugyldigLenke: 'Invalid link',
    lenkeUgyldigSjekk: 'The link is not valid. Check that you have the whole link from the notice.',
    fantIkkeBrevet: 'The letter was not found.',
    lenkeUgyldig: 'The link is not valid.',
    bekreftDeg: 'Confirm that it is you',
    kodeSendt: 'We have sent a one-time code by SMS to your mobile number. Enter it below.',
    sikkerPalogging: 'This letter requires secure sign-in. We will send a one-time code by SMS to your mobile number.',
    sendKode: 'Send code',
    engangskode: 'One-time code',
    engangskodeHint: '6 digits, from the SMS',
    kodeSeksSifre: 'The code is 6 digits. Enter it as it is in the SMS.',
    bekreft: 'Confirm',
    forMangeForsok: 'Too many attempts',
    vent: (ms) => `Wait ${ventetid(ms, ['minute', 'minutes'], ['hour', 'hours'])} before you try again.`,
    tilbake: 'Back to the letter',
    kanIkkeSendeKode: 'Cannot send a code',
    ingenMobil: 'We do not have a mobile number for you. Contact the sender.',
    flereKoder: 'We have already sent you several codes for this letter.',
    kunneIkkeSendeKode: 'Could not send a code',
    provIgjenOmLitt: 'We could not send the code just now. Try again in a little while.',
    forMangeFeil: 'Too many wrong codes for this letter.',
    feilKode: 'Wrong code',
    kodeFeil: 'The code is wrong or has expired.',
    kodeBrukt: 'The code has already been used. Ask for a new code.',
    provIgjen: 'Try again',
    bekreftForst: 'Confirm with a one-time code first.',
    finnesIkke: 'Not found',
    dokumentetFinnesIkke: 'The document does not exist.',
    ingenLogo: 'The sender has no logo.',
    forStortSkjema: 'Form too large',
    ugyldigSkjema: 'Invalid form',
    noeGikkGalt: 'Something went wrong',
    provIgjenSenere: 'We could not show this just now. Please try again later.',
    kodeSms: (avsender, kode) => `One-time code for a letter from ${avsender}: ${kode}`,
  },
};
