/**
 * Which channel a forsendelse takes (docs/architecture.md step 5), as a pure function of the input,
 * the recipient's entry in the contact and reservation register (KRR) and whether an
 * organisation has its own receiving system (SvarInn, docs/interfaces.md §11). The returned `reason`
 * is the Norwegian line the shipment log shows (docs/interfaces.md §4).
 */
import type { ForsendelseInput, Kanal } from './model.js';
import { isSingleMailbox } from './validation/mailbox.js';
import { singleMobileNumber } from './validation/mobile-number.js';

/**
 * One person as Digdir's KRR lookup answers (`POST /rest/v1/personer`, field names as on
 * the wire). Fields are optional as in Digdir's model: SLETTET and IKKE_REGISTRERT persons
 * carry neither contact information nor a mailbox.
 */
export interface KrrPerson {
  readonly personidentifikator: string;
  /** Reservation against digital communication (eForvaltningsforskriften § 15 a). */
  readonly reservasjon?: 'JA' | 'NEI';
  readonly status?: 'AKTIV' | 'SLETTET' | 'IKKE_REGISTRERT';
  /** KAN_IKKE_VARSLES: the contact information is outdated and must not be used (§ 32). */
  readonly varslingsstatus?: 'KAN_VARSLES' | 'KAN_IKKE_VARSLES';
  readonly kontaktinformasjon?: {
    readonly epostadresse?: string;
    readonly mobiltelefonnummer?: string;
  };
  /** The person's digital mailbox (Digipost, e-Boks), if chosen. */
  readonly digital_post?: {
    readonly postkasseadresse?: string;
    /** The mailbox provider's organisation number. */
    readonly postkasseleverandoeradresse?: string;
  };
}

/** Where the recipient is notified that a letter waits. */
export interface KanalVarsling {
  readonly epost?: string;
  readonly sms?: string;
}

/** The channel chosen, where to notify, and the history sentence saying why. */
export interface KanalValg {
  readonly kanal: Kanal;
  readonly varsling?: KanalVarsling;
  readonly reason: string;
  /** For kanal 'svarinn': the receiving system's id. */
  readonly mottakersystem?: string;
}

/** What the choice depends on; I/O (KRR lookup, SvarInn registry) is done by the caller. */
export interface KanalGrunnlag {
  readonly input: ForsendelseInput;
  /** The KRR answer for a person recipient; undefined when KRR does not know the person. */
  readonly krr?: KrrPerson | undefined;
  /** The receiving system (SvarInn) that takes this organisation letter, if one matches. */
  readonly mottakersystem?: { readonly id: string; readonly navn: string };
  /** The avsender's configured address for notifying organisations (varsling.organisasjonEpost). */
  readonly organisasjonEpost?: string;
  /** Its receiving system gave the letter up for good (SvarInn mottakFeilet, permanent). */
  readonly mottakFeilet?: true;
}

/** Mailbox providers by organisation number, to name them in the history. */
const POSTKASSELEVERANDORER: Readonly<Record<string, string>> = {
  '984661185': 'Digipost',
  '996460320': 'e-Boks',
};

const KRR = 'Kontakt- og reservasjonsregisteret';

/** Chooses the channel of a forsendelse (docs/architecture.md step 5); never print when kunDigitalLevering. */
export function chooseKanal(grunnlag: KanalGrunnlag): KanalValg {
  const { input } = grunnlag;
  const digital = input.mottaker?.digitalAdresse;
  if (digital === undefined) {
    return noDigitalChannel(input, 'Mottaker har verken fødselsnummer eller organisasjonsnummer');
  }
  switch (digital.type) {
    case 'organisasjon':
      return chooseForOrganisasjon(grunnlag);
    case 'person':
      if (grunnlag.krr !== undefined && grunnlag.krr.personidentifikator !== digital.fnr) {
        // A KRR answer for someone else would notify the wrong person: a caller bug, never data.
        throw new Error('KRR-svaret gjelder en annen person enn mottakeren');
      }
      return chooseForPerson(input, grunnlag.krr);
    default:
      return assertNever(digital);
  }
}

/** Organisations: their own receiving system, else the digital inbox, or paper for a level-4 letter (docs/interfaces.md §11). */
function chooseForOrganisasjon(grunnlag: KanalGrunnlag): KanalValg {
  if (grunnlag.mottakersystem !== undefined) {
    return {
      kanal: 'svarinn',
      mottakersystem: grunnlag.mottakersystem.id,
      reason: `Mottaker har eget mottakersystem (SvarInn: ${grunnlag.mottakersystem.navn}); forsendelsen er klar for mottak`,
    };
  }
  // Said as it is: an organisation whose system gave the letter up does have one (found in a review).
  const why = grunnlag.mottakFeilet
    ? 'Mottakers mottakersystem kunne ikke ta imot forsendelsen'
    : 'Mottaker er en organisasjon uten eget mottakersystem';
  // A level-4 letter opens in the inbox only after a one-time code by SMS to a person's own
  // mobile (KRR): an organisation has none, so its notice would lead to a page nobody can pass,
  // and a digital-only letter would wait there for good (found in review).
  if (grunnlag.input.krevNiva4Innlogging) {
    return noDigitalChannel(
      grunnlag.input,
      `${why}, og et brev som krever innlogging på nivå 4 kan bare åpnes med engangskode på SMS til en person`,
    );
  }
  const epost = nonEmpty(grunnlag.organisasjonEpost);
  if (epost === undefined) {
    // Nobody would learn of it: the inbox link goes out only in a notice. One that may go on
    // paper waits there until its deadline and is printed; a digital-only one cannot be
    // delivered, said as such (IKKE_LEVERT), not SENDT_DIGITALT for good (found in a review).
    if (grunnlag.input.kunDigitalLevering) {
      return {
        kanal: 'ingen',
        reason: `${why}, og ingen varslingsadresse for virksomheter er satt opp, så mottakeren kan ikke få vite om den; forsendelsen skal kun leveres digitalt og kan ikke leveres`,
      };
    }
    return { kanal: 'digital', reason: `${why}; sendes til digital innboks (ingen varslingsadresse er satt opp)` };
  }
  return { kanal: 'digital', varsling: { epost }, reason: `${why}; sendes til digital innboks og varsles på e-post` };
}

/** Persons: reservation, register status, mailbox, contact information, in that order. */
function chooseForPerson(input: ForsendelseInput, krr: KrrPerson | undefined): KanalValg {
  if (krr === undefined) return noDigitalChannel(input, `Mottaker er ikke registrert i ${KRR}`);
  // Reservation is checked first: a reserved person must get paper even with a mailbox.
  if (krr.reservasjon === 'JA') {
    return noDigitalChannel(input, `Mottaker har reservert seg mot digital post i ${KRR}`);
  }
  switch (krr.status) {
    case 'SLETTET':
      return noDigitalChannel(input, `Mottaker er slettet fra ${KRR}`);
    case 'IKKE_REGISTRERT':
    case undefined:
      return noDigitalChannel(input, `Mottaker er ikke registrert i ${KRR}`);
    case 'AKTIV':
      break;
    default:
      return assertNever(krr.status);
  }
  const varsling = usableContact(krr);
  // A level-4 letter opens in the inbox only after a one-time code by SMS: without a mobile
  // number the recipient could be notified but never read it.
  if (input.krevNiva4Innlogging && varsling?.sms === undefined) {
    return noDigitalChannel(input, `Mottaker har ikke mobilnummer i ${KRR}, som innlogging på nivå 4 krever`);
  }
  // Budbringer delivers to its own inbox, reached only by a notice's link; it does not deliver
  // to Digipost or e-Boks. A mailbox is named in the history, and without a contact to notify
  // the letter goes as for anyone without one (until 7 December 2026 it was recorded as
  // "sendes digitalt", VARSLET without any notice, and a digital-only one stayed so for good;
  // found in review).
  const leverandor = mailboxProvider(krr);
  const postkasse =
    leverandor === undefined
      ? ''
      : `Mottaker har digital postkasse hos ${leverandor}, som Budbringer ikke leverer til. `;
  if (varsling === undefined) {
    const why =
      krr.varslingsstatus === 'KAN_IKKE_VARSLES' && hasContact(krr)
        ? `Mottakers kontaktinformasjon i ${KRR} er utdatert og kan ikke brukes til varsling`
        : `Mottaker har ikke registrert e-post eller mobilnummer i ${KRR}`;
    return noDigitalChannel(input, postkasse + why);
  }
  return {
    kanal: 'digital',
    varsling,
    reason: `${postkasse}Mottaker er aktiv i ${KRR}; sendes til digital innboks og varsles på ${varslingTekst(varsling)}`,
  };
}

/** Print, or — when kunDigitalLevering forbids print — no delivery at all (IKKE_LEVERT). */
function noDigitalChannel(input: ForsendelseInput, why: string): KanalValg {
  if (input.kunDigitalLevering) {
    return {
      kanal: 'ingen',
      reason: `${why}, og forsendelsen skal kun leveres digitalt; den kan ikke leveres`,
    };
  }
  return { kanal: 'print', reason: `${why}; sendes til print` };
}

/** The e-mail and mobile number KRR allows us to notify at, if any. */
function usableContact(krr: KrrPerson): KanalVarsling | undefined {
  if (krr.varslingsstatus === 'KAN_IKKE_VARSLES') return undefined;
  // An address that is not one mailbox (two, comma-separated) is not used (validation/mailbox.ts),
  // nor a number that is not one number (validation/mobile-number.ts).
  const given = nonEmpty(krr.kontaktinformasjon?.epostadresse);
  const epost = given !== undefined && isSingleMailbox(given) ? given : undefined;
  const sms = singleMobileNumber(nonEmpty(krr.kontaktinformasjon?.mobiltelefonnummer));
  if (epost === undefined && sms === undefined) return undefined;
  return { ...(epost === undefined ? {} : { epost }), ...(sms === undefined ? {} : { sms }) };
}

/** True when KRR holds any e-mail or mobile number, usable or not. */
function hasContact(krr: KrrPerson): boolean {
  return (
    nonEmpty(krr.kontaktinformasjon?.epostadresse) !== undefined ||
    nonEmpty(krr.kontaktinformasjon?.mobiltelefonnummer) !== undefined
  );
}

/** The mailbox provider's name (or orgnr when unknown), when the person has a complete mailbox address. */
function mailboxProvider(krr: KrrPerson): string | undefined {
  const adresse = nonEmpty(krr.digital_post?.postkasseadresse);
  const leverandor = nonEmpty(krr.digital_post?.postkasseleverandoeradresse);
  if (adresse === undefined || leverandor === undefined) return undefined;
  return POSTKASSELEVERANDORER[leverandor] ?? `postkasseleverandør ${leverandor}`;
}

/** "e-post", "SMS" or "e-post og SMS". */
function varslingTekst(v: KanalVarsling): string {
  if (v.epost !== undefined && v.sms !== undefined) return 'e-post og SMS';
  return v.epost !== undefined ? 'e-post' : 'SMS';
}

/** The trimmed string, or undefined when absent or blank. */
function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t === undefined || t === '' ? undefined : t;
}

/** Exhaustiveness check: the compiler proves this is unreachable. */
function assertNever(x: never): never {
  throw new Error(`Uventet verdi: ${JSON.stringify(x)}`);
}
