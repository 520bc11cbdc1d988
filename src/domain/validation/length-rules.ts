/**
 * Length and count rules for every free-text field and every list of a forsendelse, so no
 * field is unbounded: one letter with an 8 000-character name must not cost the node more
 * than any other letter (issue #13). SvarUt's own limits where it publishes them (docs/interfaces.md §8,
 * REST v2/v3 OpenAPI); elsewhere sane ones, each with its reason beside it.
 */
import type { FieldProblem } from '../errors.js';
import type { Adresse, DokumentSpec, ForsendelseInput, Lenke, MetadataEntry, PostAdresse } from '../model.js';
import { codePoint, problem } from './problem.js';

/** Longest value of each bounded text field, in characters (UTF-16 code units, as the wire's strings). */
export const TEXT_LIMITS = {
  /** docs/interfaces.md §8: avgivendeSystem, eksternReferanse, forsendelsestype ≤ 100. */
  avgivendeSystem: 100,
  eksternref: 100,
  forsendelseType: 100,
  /** REST v2/v3 OpenAPI: korrelasjonsid ≤ 100. */
  korrelasjonsid: 100,
  /** v3's OpenAPI says ≤ 100 (its schema check refuses more); v2's gives no limit, so a bound as a link's. */
  avgivendeSystemAktor: 1000,
  /** An id of an earlier forsendelse (a UUID, 36); 100 as SvarUt's other references. */
  svarPaForsendelse: 100,
  /** Enhetsregisteret names run to ~175 characters; the cover page cuts a line to the window anyway. */
  navn: 200,
  /** docs/interfaces.md §8: address lines ≤ 70. */
  adresselinje: 70,
  /** Foreign postcodes are at most 10 characters (e.g. Canada, UK); Norwegian ones 4 digits. */
  postnr: 20,
  /** As an address line. */
  poststed: 70,
  /** A country name or code (the longest country name in Norwegian is well below 70). */
  land: 70,
  /** docs/interfaces.md §8: lenke url ≤ 1000, tekst ≤ 100; the lead text of a link is a sentence. */
  urlLenke: 1000,
  urlTekst: 100,
  ledetekst: 500,
  /** docs/interfaces.md §8: metadata key ≤ 100, value ≤ 500. */
  metadataKey: 100,
  metadataValue: 500,
  /** Noark titles: as the forsendelse's own tittel. */
  noarkTittel: 1000,
  /** Noark codes and names (journalposttype, journalstatus, saksbehandler): short. */
  noarkKode: 100,
  /** Archive ids (mappeId, systemId, registreringsId): REST v3's NoarkMetadataForImport, ≤ 100. */
  noarkId: 100,
  /** docs/interfaces.md §8: mimeType ≤ 127 (RFC 6838 allows 127 for type and subtype each; SvarUt takes 127 in all). */
  mimetype: 127,
  /** A free-text document type (Noark 4 code): as forsendelsestype. */
  dokumentType: 100,
} as const;

/** Most entries of each list. */
export const COUNT_LIMITS = {
  /** Documents of one letter: each one is a part of the request and a section of the composed file. */
  dokumenter: 100,
  /** Links rendered in the letter. */
  lenker: 50,
  /** Noark extra metadata entries, per forsendelse and per document. */
  ekstraMetadata: 100,
  /** Further digital addresses that may download the files (eDialog uses a handful). */
  eksponertFor: 50,
  /** Giro pages of one document: at most one per page, and a document has at most 10 000 pages. */
  giroarkSider: 10_000,
} as const;

/** Problem when `value` is longer than `max`. */
function tooLong(value: string | undefined, max: number, path: string): FieldProblem[] {
  if (value === undefined || value.length <= max) return [];
  return [problem(path, 'For lang tekst', `kan ha høyst ${max} tegn (har ${value.length})`)];
}

/** Problem when `list` has more than `max` entries. */
function tooMany(list: readonly unknown[] | undefined, max: number, path: string): FieldProblem[] {
  if (list === undefined || list.length <= max) return [];
  return [problem(path, 'For mange elementer', `kan ha høyst ${max} (har ${list.length})`)];
}

/** Every length and count problem of `input` (the title and file names have their own rules). */
export function lengthProblems(input: ForsendelseInput): FieldProblem[] {
  const t = TEXT_LIMITS;
  const problems: FieldProblem[] = [
    ...tooLong(input.avgivendeSystem, t.avgivendeSystem, 'avgivendeSystem'),
    ...tooLong(input.eksternref, t.eksternref, 'eksternref'),
    ...tooLong(input.korrelasjonsid, t.korrelasjonsid, 'korrelasjonsid'),
    ...tooLong(input.avgivendeSystemAktor, t.avgivendeSystemAktor, 'avgivendeSystemAktor'),
    ...tooLong(input.forsendelseType, t.forsendelseType, 'forsendelseType'),
    ...tooLong(input.svarPaForsendelse, t.svarPaForsendelse, 'svarPaForsendelse'),
    ...adresseProblems(input.mottaker, 'mottaker'),
    ...adresseProblems(input.svarSendesTil, 'svarSendesTil'),
    ...tooMany(input.eksponertFor, COUNT_LIMITS.eksponertFor, 'eksponertFor'),
    ...tooMany(input.lenker, COUNT_LIMITS.lenker, 'lenker'),
    ...tooMany(input.dokumenter, COUNT_LIMITS.dokumenter, 'dokumenter'),
  ];
  // Lists over their limit are not walked: their entries could be a million.
  if (input.lenker.length <= COUNT_LIMITS.lenker)
    input.lenker.forEach((l, i) => problems.push(...lenkeLengths(l, `lenker[${i}]`)));
  const fra = input.metadataFraAvleverendeSystem;
  if (fra !== undefined) {
    const path = 'metadataFraAvleverendeSystem';
    problems.push(
      ...tooLong(fra.tittel, t.noarkTittel, `${path}.tittel`),
      ...tooLong(fra.saksbehandler, t.noarkKode, `${path}.saksbehandler`),
      ...tooLong(fra.journalposttype, t.noarkKode, `${path}.journalposttype`),
      ...tooLong(fra.journalstatus, t.noarkKode, `${path}.journalstatus`),
      ...metadataLengths(fra.ekstraMetadata, `${path}.ekstraMetadata`),
    );
  }
  const forImport = input.metadataForImport;
  if (forImport !== undefined) {
    const path = 'metadataForImport';
    problems.push(
      ...tooLong(forImport.tittel, t.noarkTittel, `${path}.tittel`),
      ...tooLong(forImport.journalposttype, t.noarkKode, `${path}.journalposttype`),
      ...tooLong(forImport.journalstatus, t.noarkKode, `${path}.journalstatus`),
      ...tooLong(forImport.mappeId, t.noarkId, `${path}.mappeId`),
      ...tooLong(forImport.mappeSystemId, t.noarkId, `${path}.mappeSystemId`),
      ...tooLong(forImport.systemId, t.noarkId, `${path}.systemId`),
      ...tooLong(forImport.registreringsId, t.noarkId, `${path}.registreringsId`),
    );
  }
  if (input.dokumenter.length <= COUNT_LIMITS.dokumenter) {
    input.dokumenter.forEach((d, i) => problems.push(...dokumentLengths(d, `dokumenter[${i}]`)));
  }
  return problems;
}

/**
 * A C0 control character other than tab, line feed and carriage return (XML 1.0 cannot
 * carry one, not even as a character reference, so every SOAP answer naming the letter
 * would be broken XML; JSON and XML 1.1 can bring one in).
 */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/**
 * The bidirectional overrides (LRO, RLO): with U+202E a title shows part of itself reversed
 * on every page that names the letter (found in a review), and a name or reference shows
 * other text than it holds. No real text needs them. The embeddings, isolates and marks
 * (U+202A–U+202C, U+2066–U+2069, U+200E, U+200F) are taken: Outlook and Teams wrap copied
 * phone numbers and addresses in them, and right-to-left names carry them.
 */
const BIDI_OVERRIDE = /[\u202D\u202E]/;

/** A lone UTF-16 surrogate: text that is no Unicode (it cannot be written as UTF-8). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `text` with each lone surrogate as the replacement character (U+FFFD): text a strict JSON reader takes. */
export function withoutLoneSurrogates(text: string): string {
  return text.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}

/**
 * Every text of `input` that is not well-formed Unicode or holds a control character, by
 * its path. JSON may carry a lone surrogate (`"\ud800"`); such a title or file name was accepted and then every
 * download of the letter failed (a file name that cannot be encoded), so it could never
 * be read. Walk only after listsWithinLimits.
 */
export function malformedTextProblems(value: unknown, path = ''): FieldProblem[] {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value))
      return [problem(path || 'forsendelse', 'Ugyldig tekst', 'inneholder tegn som ikke er gyldig Unicode')];
    const control = CONTROL_CHARACTER.exec(value)?.[0];
    if (control !== undefined) {
      const code = codePoint(control);
      return [
        problem(
          path || 'forsendelse',
          'Ugyldig tekst',
          `inneholder kontrolltegnet ${code}, som ikke kan stå i et brev`,
        ),
      ];
    }
    // A file name's own rule (document-rules.ts) refuses these with the rest of what a name may not hold.
    const bidi = path.endsWith('.filnavn') ? undefined : BIDI_OVERRIDE.exec(value)?.[0];
    if (bidi !== undefined) {
      return [
        problem(
          path || 'forsendelse',
          'Ugyldig tekst',
          `inneholder retningstegnet ${codePoint(bidi)}, som får teksten til å vises annerledes enn den er`,
        ),
      ];
    }
    return [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => malformedTextProblems(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.entries(value).flatMap(([k, v]) => malformedTextProblems(v, path === '' ? k : `${path}.${k}`));
  }
  return [];
}

/** True when every list is within its count limit, so the other rules may walk them. */
export function listsWithinLimits(input: ForsendelseInput): boolean {
  const c = COUNT_LIMITS;
  return (
    input.dokumenter.length <= c.dokumenter &&
    input.lenker.length <= c.lenker &&
    input.eksponertFor.length <= c.eksponertFor &&
    (input.metadataFraAvleverendeSystem?.ekstraMetadata?.length ?? 0) <= c.ekstraMetadata &&
    input.dokumenter.every(
      (d) => d.ekstraMetadata.length <= c.ekstraMetadata && d.giroarkSider.length <= c.giroarkSider,
    )
  );
}

function adresseProblems(adresse: Adresse | undefined, path: string): FieldProblem[] {
  const post: PostAdresse | undefined = adresse?.postAdresse;
  if (post === undefined) return [];
  const p = `${path}.postAdresse`;
  const t = TEXT_LIMITS;
  return [
    ...tooLong(post.navn, t.navn, `${p}.navn`),
    ...tooLong(post.adresse1, t.adresselinje, `${p}.adresse1`),
    ...tooLong(post.adresse2, t.adresselinje, `${p}.adresse2`),
    ...tooLong(post.adresse3, t.adresselinje, `${p}.adresse3`),
    ...tooLong(post.postnr, t.postnr, `${p}.postnr`),
    ...tooLong(post.poststed, t.poststed, `${p}.poststed`),
    ...tooLong(post.land, t.land, `${p}.land`),
  ];
}

function lenkeLengths(lenke: Lenke, path: string): FieldProblem[] {
  return [
    ...tooLong(lenke.urlLenke, TEXT_LIMITS.urlLenke, `${path}.urlLenke`),
    ...tooLong(lenke.urlTekst, TEXT_LIMITS.urlTekst, `${path}.urlTekst`),
    ...tooLong(lenke.ledetekst, TEXT_LIMITS.ledetekst, `${path}.ledetekst`),
  ];
}

function metadataLengths(entries: readonly MetadataEntry[] | undefined, path: string): FieldProblem[] {
  if (entries === undefined) return [];
  const many = tooMany(entries, COUNT_LIMITS.ekstraMetadata, path);
  if (many.length > 0) return many;
  return entries.flatMap((e, i) => [
    ...tooLong(e.key, TEXT_LIMITS.metadataKey, `${path}[${i}].key`),
    ...tooLong(e.value, TEXT_LIMITS.metadataValue, `${path}[${i}].value`),
  ]);
}

function dokumentLengths(d: DokumentSpec, path: string): FieldProblem[] {
  return [
    ...tooLong(d.dokumentType, TEXT_LIMITS.dokumentType, `${path}.dokumentType`),
    ...tooMany(d.giroarkSider, COUNT_LIMITS.giroarkSider, `${path}.giroarkSider`),
    ...metadataLengths(d.ekstraMetadata, `${path}.ekstraMetadata`),
  ];
}
