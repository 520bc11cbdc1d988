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

/** One language's words for the sentence on when the letter counts as read (InboxTexts.lestNar). */
interface ReadHintWords {
  /** "When you have downloaded". */
  readonly nar: string;
  readonly brevet: string;
  /** After "the letter" when the PDF is all and reading it stops the paper copy. */
  readonly ellerAlle: string;
  readonly og: string;
  /** "it is registered as read". */
  readonly lest: string;
  /** ", and then we do not also send it on paper". */
  readonly ikkePapir: string;
  /** Why the named documents are named, for one and for several: the PDF does not hold them. */
  readonly ikkeIPdf: readonly [string, string];
}

/** lestNar and lestOgIkkePapir of one language, from its words. */
function readHints(w: ReadHintWords): Pick<InboxTexts, 'lestNar' | 'lestOgIkkePapir'> {
  const hint =
    (papir: boolean) =>
    (utenfor: readonly string[], medBrevet = true): string => {
      const lest = `${w.lest}${papir ? w.ikkePapir : ''}.`;
      if (utenfor.length === 0) return `${w.nar} ${w.brevet}${papir ? w.ellerAlle : ''}, ${lest}`;
      const hva = `${medBrevet ? `${w.brevet} ${w.og} ` : ''}${liste(utenfor, w.og)}`;
      return `${w.nar} ${hva}, ${lest} ${utenfor.length === 1 ? w.ikkeIPdf[0] : w.ikkeIPdf[1]}`;
    };
  return { lestNar: hint(false), lestOgIkkePapir: hint(true) };
}

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
    ...readHints({
      nar: 'Når du har lastet ned',
      brevet: 'brevet',
      ellerAlle: ' (eller alle dokumentene)',
      og: 'og',
      lest: 'er det registrert som lest',
      ikkePapir: ', og da sender vi det ikke på papir i tillegg',
      ikkeIPdf: ['Det dokumentet er ikke med i PDF-en.', 'De dokumentene er ikke med i PDF-en.'],
    }),
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
    ...readHints({
      nar: 'Når du har lasta ned',
      brevet: 'brevet',
      ellerAlle: ' (eller alle dokumenta)',
      og: 'og',
      lest: 'er det registrert som lese',
      ikkePapir: ', og då sender vi det ikkje på papir i tillegg',
      ikkeIPdf: ['Det dokumentet er ikkje med i PDF-en.', 'Dei dokumenta er ikkje med i PDF-en.'],
    }),
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
    ...readHints({
      nar: 'Once you have downloaded',
      brevet: 'the letter',
      ellerAlle: ' (or all its documents)',
      og: 'and',
      lest: 'it is registered as read',
      ikkePapir: ', and we will not also send it on paper',
      ikkeIPdf: ['That document is not in the PDF.', 'Those documents are not in the PDF.'],
    }),
    innsyn: 'You can read the letter because the sender has given you access to it.',
    lenker: 'Links from the sender',
    svar: 'Reply',
    svarKnapp: 'Reply to the sender',
    svarHint: 'Your reply goes to the sender through the reply service the link opens.',
  },
};
