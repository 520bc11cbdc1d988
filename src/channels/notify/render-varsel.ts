/**
 * The notification texts (docs/architecture.md step 6): the avsender's templates with `{avsender}`,
 * `{tittel}` and `{lenke}` replaced. Norwegian throughout. A fødselsnummer must never leave
 * in a notification, so any 11-digit number in the template, the avsender's name or the
 * title is masked; the link is inserted as given (it carries the forsendelse id, a UUID).
 */
import type { Lenke } from '../../domain/model.js';
import { FODSELSNUMMER_SHAPE } from '../../domain/validation/fodselsnummer.js';
import type { Avsender } from '../../storage/ports.js';

/** Default e-mail subject for new avsendere. */
export const DEFAULT_EPOST_EMNE = 'Du har fått brev fra {avsender}';

/**
 * Default e-mail body for new avsendere. The title is left out on purpose: e-mail is not a
 * secure channel and titles can be sensitive; an avsender may add `{tittel}`.
 */
export const DEFAULT_EPOST_TEKST = [
  'Hei!',
  '',
  'Du har fått et brev fra {avsender}.',
  '',
  'Les brevet her:',
  '{lenke}',
  '',
  'Denne e-posten er sendt automatisk og kan ikke besvares.',
].join('\n');

/** Default SMS text for new avsendere. */
export const DEFAULT_SMS_TEKST = 'Du har fått brev fra {avsender}. Les det her: {lenke}';

/** The default `varsling` block of a new avsender. */
export const DEFAULT_VARSLING: Pick<Avsender['varsling'], 'epostEmne' | 'epostTekst' | 'smsTekst'> = {
  epostEmne: DEFAULT_EPOST_EMNE,
  epostTekst: DEFAULT_EPOST_TEKST,
  smsTekst: DEFAULT_SMS_TEKST,
};

/** The default texts in nynorsk and English, for avsendere whose recipient page uses that language. */
export const DEFAULT_VARSLING_SPRAK: Readonly<Record<'nn' | 'en', typeof DEFAULT_VARSLING>> = {
  nn: {
    epostEmne: 'Du har fått brev frå {avsender}',
    epostTekst: [
      'Hei!',
      '',
      'Du har fått eit brev frå {avsender}.',
      '',
      'Les brevet her:',
      '{lenke}',
      '',
      'Denne e-posten er send automatisk og kan ikkje svarast på.',
    ].join('\n'),
    smsTekst: 'Du har fått brev frå {avsender}. Les det her: {lenke}',
  },
  en: {
    epostEmne: 'You have a letter from {avsender}',
    epostTekst: [
      'Hello,',
      '',
      'You have received a letter from {avsender}.',
      '',
      'Read the letter here:',
      '{lenke}',
      '',
      'This e-mail was sent automatically; replies are not read.',
    ].join('\n'),
    smsTekst: 'You have a letter from {avsender}. Read it here: {lenke}',
  },
};

/**
 * The avsender's notification texts in its language (`mottakerside.sprak`): a text the
 * avsender wrote itself is used as written; a text still at the bokmål default is given in
 * the avsender's language instead.
 */
export function varslingFor(avsender: Avsender): Avsender['varsling'] {
  const sprak = avsender.mottakerside?.sprak;
  if (sprak !== 'nn' && sprak !== 'en') return avsender.varsling;
  const own = avsender.varsling;
  const translated = DEFAULT_VARSLING_SPRAK[sprak];
  return {
    ...own,
    epostEmne: own.epostEmne === DEFAULT_EPOST_EMNE ? translated.epostEmne : own.epostEmne,
    epostTekst: own.epostTekst === DEFAULT_EPOST_TEKST ? translated.epostTekst : own.epostTekst,
    smsTekst: own.smsTekst === DEFAULT_SMS_TEKST ? translated.smsTekst : own.smsTekst,
  };
}

/**
 * The texts to store from the admin form of an avsender whose language is `sprak`: a text the
 * clerk left at that language's default is stored as the bokmål default, so it stays "the
 * default" (and follows a later change of language) rather than becoming the avsender's own.
 * The form shows `varslingFor`'s texts: it showed bokmål to a nynorsk or English avsender, whose
 * every edit then began, and stayed, in bokmål under `lang="nn"`/`"en"` (found in review).
 */
export function varslingToStore(avsender: Avsender, texts: Avsender['varsling']): Avsender['varsling'] {
  const sprak = avsender.mottakerside?.sprak;
  if (sprak !== 'nn' && sprak !== 'en') return texts;
  const translated = DEFAULT_VARSLING_SPRAK[sprak];
  return {
    ...texts,
    epostEmne: texts.epostEmne === translated.epostEmne ? DEFAULT_EPOST_EMNE : texts.epostEmne,
    epostTekst: texts.epostTekst === translated.epostTekst ? DEFAULT_EPOST_TEKST : texts.epostTekst,
    smsTekst: texts.smsTekst === translated.smsTekst ? DEFAULT_SMS_TEKST : texts.smsTekst,
  };
}

/** What a notification is made of. */
export interface VarselInput {
  readonly avsender: Avsender['varsling'] & { readonly navn: string };
  readonly tittel: string;
  /** Where the recipient reads the letter. */
  readonly lenke: string;
  /** taushetsbelagtPost: the title is replaced by a neutral word, whatever the template says. */
  readonly taushetsbelagt?: boolean;
  /** A level-4 letter (krevNiva4Innlogging): its title stays behind the login too, as a confidential one's. */
  readonly niva4?: boolean;
  /**
   * The sender's links (lenker), listed after the text of the e-mail. The caller leaves them
   * out where the letter's content must not travel by e-mail (taushetsbelagt, level 4).
   */
  readonly lenker?: readonly Lenke[];
  /** Language of the texts (the HTML body's lang); default bokmål. */
  readonly sprak?: 'nb' | 'nn' | 'en';
}

/** A rendered notification: e-mail subject, text and HTML bodies, and the SMS. */
export interface RenderedVarsel {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly sms: string;
}

/** Renders the avsender's notification texts for one letter. */
export function renderVarsel(input: VarselInput): RenderedVarsel {
  const sprak = input.sprak ?? 'nb';
  const words = WORDS[sprak];
  const values: Values = {
    avsender: input.avsender.navn,
    tittel: input.taushetsbelagt === true ? words.taushetsbelagt : input.niva4 === true ? words.niva4 : input.tittel,
    lenke: input.lenke,
  };
  const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  // A link whose address looks like it carries a fødselsnummer stays in the inbox only.
  const lenker = (input.lenker ?? []).filter((l) => maskFodselsnummer(l.urlLenke) === l.urlLenke);
  // An SMS carries the sender's name and title cut short: a 1 000-character title made an SMS
  // of eight segments (found in review).
  const smsValues: Values = {
    ...values,
    avsender: shortened(maskFodselsnummer(values.avsender), MAX_SMS_VALUE),
    tittel: shortened(maskFodselsnummer(values.tittel), MAX_SMS_VALUE),
  };
  return {
    // A header must be one line; a template or title with a line break would break it. And
    // short: a 1 000-character title made a Subject line past RFC 5322's 998 (found in review).
    subject: shortened(oneLine(render(input.avsender.epostEmne, values, plain)), MAX_SUBJECT),
    text: render(input.avsender.epostTekst, values, plain) + lenkerText(lenker, words.lenker),
    html: `<!doctype html><html lang="${sprak}"><body><p>${render(input.avsender.epostTekst, values, html)}</p>${lenkerHtml(lenker, words.lenker)}</body></html>`,
    sms: render(input.avsender.smsTekst, smsValues, plain),
  };
}

/** The longest e-mail subject, in characters. */
export const MAX_SUBJECT = 200;
/** The longest sender's name or title an SMS carries, in characters. */
export const MAX_SMS_VALUE = 60;

/** About how long an inbox link is (PUBLIC_URL, `/innboks/` and the signed token). */
export const LINK_ESTIMATE = 200;

/**
 * The longest SMS `template` renders to: the sender's name and title at their cut length and
 * the link at LINK_ESTIMATE (the template alone undercounted: 478 characters made 645).
 */
export function longestSms(template: string): number {
  return [
    ...template.replace(/\{(avsender|tittel|lenke)\}/g, (_, key: string) =>
      'x'.repeat(key === 'lenke' ? LINK_ESTIMATE : MAX_SMS_VALUE),
    ),
  ].length;
}

/** `s` cut to at most `max` characters (whole code points), the last an ellipsis when cut. */
function shortened(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** What a reminder's subject and SMS start with, in the avsender's language. */
export function reminderPrefix(sprak: 'nb' | 'nn' | 'en'): string {
  return { nb: 'Påminnelse: ', nn: 'Påminning: ', en: 'Reminder: ' }[sprak];
}

/** The words a notification adds of its own, in each language. */
const WORDS: Readonly<Record<'nb' | 'nn' | 'en', { taushetsbelagt: string; niva4: string; lenker: string }>> = {
  nb: {
    taushetsbelagt: 'taushetsbelagt brev',
    niva4: 'brev som krever sikker innlogging',
    lenker: 'Lenker fra avsender',
  },
  nn: {
    taushetsbelagt: 'teiepliktig brev',
    niva4: 'brev som krev sikker innlogging',
    lenker: 'Lenkjer frå avsendaren',
  },
  en: {
    taushetsbelagt: 'confidential letter',
    niva4: 'letter that requires secure login',
    lenker: 'Links from the sender',
  },
};

/** The links as plain text lines after the body ('' when none). */
function lenkerText(lenker: readonly Lenke[], heading: string): string {
  if (lenker.length === 0) return '';
  const lines = lenker.map((l) => `${lenkeTekst(l)}: ${l.urlLenke}`);
  return `\n\n${heading}:\n${lines.join('\n')}\n`;
}

/** The links as an HTML list after the body ('' when none). */
function lenkerHtml(lenker: readonly Lenke[], heading: string): string {
  if (lenker.length === 0) return '';
  const items = lenker.map((l) => `<li><a href="${escapeHtml(l.urlLenke)}">${escapeHtml(lenkeTekst(l))}</a></li>`);
  return `<p>${heading}:</p><ul>${items.join('')}</ul>`;
}

/** A link's lead text and text, masked like every text of the sender's. */
function lenkeTekst(l: Lenke): string {
  const ledetekst = l.ledetekst?.trim() ?? '';
  return maskFodselsnummer(oneLineOf(ledetekst === '' ? l.urlTekst : `${ledetekst} ${l.urlTekst}`));
}

function oneLineOf(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** `s` with each fødselsnummer-shaped run as eleven asterisks, however it was written. */
export function maskFodselsnummer(s: string): string {
  return s.replace(FODSELSNUMMER_SHAPE, '***********');
}

type Key = 'avsender' | 'tittel' | 'lenke';
type Values = Readonly<Record<Key, string>>;

interface Mode {
  text(s: string): string;
  link(url: string): string;
}

const plain: Mode = { text: maskFodselsnummer, link: (url) => url };

const html: Mode = {
  text: (s) => escapeHtml(maskFodselsnummer(s)).replace(/\r?\n/g, '<br>\n'),
  link: (url) => `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`,
};

/** Replaces the placeholders; literal text and values are masked, the link is inserted as a link. */
function render(template: string, values: Values, mode: Mode): string {
  // split() with a capture group alternates literal text (even) and placeholder names (odd).
  const parts = template.split(/\{(avsender|tittel|lenke)\}/);
  return parts
    .map((part, i) => {
      if (i % 2 === 0) return mode.text(part);
      const key = part as Key;
      return key === 'lenke' ? mode.link(values.lenke) : mode.text(values[key]);
    })
    .join('');
}

/** Escapes text for HTML element content and attribute values. */
function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
