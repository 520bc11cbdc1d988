/**
 * The words of the recipient's letter page in bokmål, nynorsk and English (issue #18): the
 * sender's setting chooses the language a recipient first sees, and the recipient may pick
 * another (`?sprak=nn`).
 */
import { formatOsloTimestamp } from '../../domain/time/index.js';

/** The page's languages. */
export type Sprak = 'nb' | 'nn' | 'en';

/** The language of `?sprak=`, when it is one of ours. */
export function sprakOf(value: string | undefined): Sprak | undefined {
  return value === 'nb' || value === 'nn' || value === 'en' ? value : undefined;
}

/** File names as a list in running text: «a», «b» og «c». */
function liste(names: readonly string[], og: string): string {
  const quoted = names.map((n) => `«${n}»`);
  return quoted.length === 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} ${og} ${quoted.at(-1) ?? ''}`;
}

/** Why those documents are named: the PDF of the letter does not hold them. */
const ikkeIPdf: Readonly<Record<Sprak, (names: readonly string[]) => string>> = {
  nb: (n) => (n.length === 1 ? 'Det dokumentet er ikke med i PDF-en.' : 'De dokumentene er ikke med i PDF-en.'),
  nn: (n) => (n.length === 1 ? 'Det dokumentet er ikkje med i PDF-en.' : 'Dei dokumenta er ikkje med i PDF-en.'),
  en: (n) => (n.length === 1 ? 'That document is not in the PDF.' : 'Those documents are not in the PDF.'),
};

/** The texts of the letter page. */
export interface InboxTexts {
  readonly fra: string;
  readonly dato: string;
  readonly kontakt: string;
  readonly lastNed: string;
  readonly dokumenter: string;
  readonly sprakvalg: string;
  readonly apnet: (at: number) => string;
  readonly ogsaPapir: string;
  /**
   * When the letter counts as read (a digital-only letter). `utenfor`: the documents the PDF
   * does not hold (not PDFs), each read only when downloaded by itself; none, the PDF is all.
   * `medBrevet` false: the PDF holds none of the documents (only its cover), so it is not named.
   */
  readonly lestNar: (utenfor: readonly string[], medBrevet?: boolean) => string;
  /** The same for a letter that goes on paper when unread: reading it stops the paper copy. */
  readonly lestOgIkkePapir: (utenfor: readonly string[], medBrevet?: boolean) => string;
  /** For someone the sender gave access to (eksponertFor), not the recipient. */
  readonly innsyn: string;
  readonly lenker: string;
  readonly svar: string;
  readonly svarKnapp: string;
  readonly svarHint: string;
}

/** Each language's own name, for the language links. */
export const SPRAK_NAVN: Readonly<Record<Sprak, string>> = { nb: 'Bokmål', nn: 'Nynorsk', en: 'English' };

export const INBOX_TEXTS: Readonly<Record<Sprak, InboxTexts>> = {
  nb: {
    fra: 'Fra',
    dato: 'Dato',
    kontakt: 'Kontakt',
    lastNed: 'Last ned brevet (PDF)',
    dokumenter: 'Dokumenter',
    sprakvalg: 'Språk',
    apnet: (at) => `Du åpnet brevet ${formatOsloTimestamp(at)}.`,
    ogsaPapir: 'Brevet er også sendt til deg på papir.',
    lestNar: (utenfor, medBrevet = true) =>
      utenfor.length === 0
        ? 'Når du har lastet ned brevet, er det registrert som lest.'
        : `Når du har lastet ned ${medBrevet ? 'brevet og ' : ''}${liste(utenfor, 'og')}, er det registrert som lest. ${ikkeIPdf.nb(utenfor)}`,
    lestOgIkkePapir: (utenfor, medBrevet = true) =>
      utenfor.length === 0
        ? 'Når du har lastet ned brevet (eller alle dokumentene), er det registrert som lest, og da sender vi det ikke på papir i tillegg.'
        : `Når du har lastet ned ${medBrevet ? 'brevet og ' : ''}${liste(utenfor, 'og')}, er det registrert som lest, og da sender vi det ikke på papir i tillegg. ${ikkeIPdf.nb(utenfor)}`,
    innsyn: 'Du kan lese brevet fordi avsenderen har gitt deg innsyn i det.',
    lenker: 'Lenker fra avsender',
    svar: 'Svar',
    svarKnapp: 'Svar avsenderen',
    svarHint: 'Svaret ditt går til avsenderen gjennom svartjenesten lenken åpner.',
  },
  nn: {
    fra: 'Frå',
    dato: 'Dato',
    kontakt: 'Kontakt',
    lastNed: 'Last ned brevet (PDF)',
    dokumenter: 'Dokument',
    sprakvalg: 'Språk',
    apnet: (at) => `Du opna brevet ${formatOsloTimestamp(at)}.`,
    ogsaPapir: 'Brevet er òg sendt til deg på papir.',
    lestNar: (utenfor, medBrevet = true) =>
      utenfor.length === 0
        ? 'Når du har lasta ned brevet, er det registrert som lese.'
        : `Når du har lasta ned ${medBrevet ? 'brevet og ' : ''}${liste(utenfor, 'og')}, er det registrert som lese. ${ikkeIPdf.nn(utenfor)}`,
    lestOgIkkePapir: (utenfor, medBrevet = true) =>
      utenfor.length === 0
        ? 'Når du har lasta ned brevet (eller alle dokumenta), er det registrert som lese, og då sender vi det ikkje på papir i tillegg.'
        : `Når du har lasta ned ${medBrevet ? 'brevet og ' : ''}${liste(utenfor, 'og')}, er det registrert som lese, og då sender vi det ikkje på papir i tillegg. ${ikkeIPdf.nn(utenfor)}`,
    innsyn: 'Du kan lese brevet fordi avsendaren har gitt deg innsyn i det.',
    lenker: 'Lenkjer frå avsendaren',
    svar: 'Svar',
    svarKnapp: 'Svar avsendaren',
    svarHint: 'Svaret ditt går til avsendaren gjennom svartenesta lenkja opnar.',
  },
  en: {
    fra: 'From',
    dato: 'Date',
    kontakt: 'Contact',
    lastNed: 'Download the letter (PDF)',
    dokumenter: 'Documents',
    sprakvalg: 'Language',
    apnet: (at) => `You opened the letter on ${formatOsloTimestamp(at)}.`,
    ogsaPapir: 'The letter has also been sent to you on paper.',
    lestNar: (utenfor, medBrevet = true) =>
      utenfor.length === 0
        ? 'Once you have downloaded the letter, it is registered as read.'
        : `Once you have downloaded ${medBrevet ? 'the letter and ' : ''}${liste(utenfor, 'and')}, it is registered as read. ${ikkeIPdf.en(utenfor)}`,
    lestOgIkkePapir: (utenfor, medBrevet = true) =>
      utenfor.length === 0
        ? 'Once you have downloaded the letter (or all its documents), it is registered as read, and we will not also send it on paper.'
        : `Once you have downloaded ${medBrevet ? 'the letter and ' : ''}${liste(utenfor, 'and')}, it is registered as read, and we will not also send it on paper. ${ikkeIPdf.en(utenfor)}`,
    innsyn: 'You can read the letter because the sender has given you access to it.',
    lenker: 'Links from the sender',
    svar: 'Reply',
    svarKnapp: 'Reply to the sender',
    svarHint: 'Your reply goes to the sender through the reply service the link opens.',
  },
};
