/**
 * Validation of a forsendelse as declared by the caller (docs/interfaces.md §8; docs/architecture.md step 2).
 * Every broken rule is reported at once, so a caller can fix all of them in one go;
 * the document bytes are checked separately by validateDokumentBytes.
 */
import type { FieldProblem } from '../errors.js';
import type { ForsendelseInput, Lenke } from '../model.js';
import { digitalAdresseProblems, fnrOf, mottakerProblems, orgnrOf, svarSendesTilProblems } from './address-rules.js';
import { dokumenterProblems, ekstraMetadataProblems } from './document-rules.js';
import { lengthProblems, listsWithinLimits, malformedTextProblems } from './length-rules.js';
import { isBlank, isForsendelseId, problem, quote, uniqueProblems } from './problem.js';
import { giroarkSiderProblems } from './giro-rules.js';
import { signeringProblems } from './signing-rules.js';

/** Longest title accepted (REST v2/v3 limit, applied to every door so letters look alike). */
export const MAX_TITTEL_LENGTH = 1000;

// SOAP/REST v1 pattern (docs/interfaces.md §8); dot and æøå allowed since 2015-04. REST
// v2/v3's OpenAPI pattern adds underscore.
const KONTERINGSKODE = /^[a-zA-Z0-9\-.øæåØÆÅ]{0,20}$/;
/**
 * REST v2/v3's wider set (their OpenAPI pattern allows `_`); also what a print receipt's
 * konteringskode, which echoes a letter's, may hold.
 */
export const KONTERINGSKODE_V2_V3 = /^[a-zA-Z0-9_\-.øæåØÆÅ]{0,20}$/;
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'ftp:']);

/** True when the forsendelse may end up on paper, i.e. it is not digital-only. */
export function mayBePrinted(input: Pick<ForsendelseInput, 'kunDigitalLevering'>): boolean {
  return !input.kunDigitalLevering;
}

/** What validation is told besides the input. */
export interface ValidationContext {
  /** Epoch ms: dates the signing deadline. */
  readonly now: number;
  /**
   * True when a signing service is connected, so signing orders (skalSigneres) are taken;
   * without one (the default: none exists yet) they are refused rather than delivered
   * unsigned as if signed (docs/interfaces.md §13).
   */
  readonly signeringstjeneste?: boolean;
  /** REST v2/v3: konteringskode may hold `_` (their OpenAPI pattern). */
  readonly konteringskodeUnderscore?: boolean;
}

/** Every broken rule of `input`, as field problems (empty when valid). */
export function validateForsendelse(input: ForsendelseInput, context: ValidationContext): FieldProblem[] {
  const { now } = context;
  const printable = mayBePrinted(input);
  // A list over its limit is refused before any rule walks it (it could hold a million entries).
  if (!listsWithinLimits(input)) return uniqueProblems(lengthProblems(input));
  const problems: FieldProblem[] = [...lengthProblems(input), ...malformedTextProblems(input)];

  if (isBlank(input.tittel)) problems.push(problem('tittel', 'Mangler tittel', 'må fylles ut'));
  else if (input.tittel.length > MAX_TITTEL_LENGTH) {
    problems.push(
      problem('tittel', 'For lang tittel', `kan ha høyst ${MAX_TITTEL_LENGTH} tegn (har ${input.tittel.length})`),
    );
  }

  problems.push(...mottakerProblems(input.mottaker, printable));
  const mottakerDigital = input.mottaker?.digitalAdresse;
  if (input.kunDigitalLevering && fnrOf(mottakerDigital) === undefined && orgnrOf(mottakerDigital) === undefined) {
    problems.push(
      problem(
        'mottaker.digitalAdresse',
        'Mangler digital adresse',
        'må ha fødselsnummer eller organisasjonsnummer når kunDigitalLevering er satt',
      ),
    );
  }
  input.eksponertFor.forEach((adresse, i) => problems.push(...digitalAdresseProblems(adresse, `eksponertFor[${i}]`)));

  const konteringskode = context.konteringskodeUnderscore === true ? KONTERINGSKODE_V2_V3 : KONTERINGSKODE;
  if (input.konteringskode !== undefined && !konteringskode.test(input.konteringskode)) {
    const tegn = context.konteringskodeUnderscore === true ? 'bindestrek, understrek' : 'bindestrek';
    problems.push(
      problem(
        'konteringskode',
        'Ugyldig konteringskode',
        `kan ha høyst 20 tegn: bokstaver (a–å), siffer, ${tegn} og punktum (fikk ${quote(input.konteringskode)})`,
      ),
    );
  }

  if (input.krevNiva4Innlogging && !input.kryptert) {
    problems.push(problem('kryptert', 'Mangler kryptering', 'må være true når krevNiva4Innlogging er satt'));
  }

  input.lenker.forEach((lenke, i) => problems.push(...lenkeProblems(lenke, `lenker[${i}]`)));

  const ekstraMetadata = input.metadataFraAvleverendeSystem?.ekstraMetadata ?? [];
  problems.push(...ekstraMetadataProblems(ekstraMetadata, 'metadataFraAvleverendeSystem.ekstraMetadata'));

  problems.push(...dokumenterProblems(input.dokumenter, input.kunDigitalLevering));
  problems.push(...giroarkSiderProblems(input.dokumenter));

  if (input.svarSendesTil !== undefined) problems.push(...svarSendesTilProblems(input.svarSendesTil));
  // The letter this one answers: its id, which receivers look up (REST v1's forsendelseid.json
  // and the v2/v3 OpenAPI type it a UUID, docs/interfaces.md §8).
  const svarPa = input.svarPaForsendelse;
  if (svarPa !== undefined && !isBlank(svarPa) && !isForsendelseId(svarPa)) {
    problems.push(
      problem(
        'svarPaForsendelse',
        'Ugyldig svarPaForsendelse',
        `må være id-en til en forsendelse, en UUID (fikk ${quote(svarPa)})`,
      ),
    );
  }
  // An invalid orgnr is reported above; here only its absence matters.
  if (input.svarPaForsendelseLink && orgnrOf(input.svarSendesTil?.digitalAdresse) === undefined) {
    problems.push(
      problem(
        'svarSendesTil.digitalAdresse.orgnr',
        'Mangler svaradresse',
        'må fylles ut med et gyldig organisasjonsnummer når svarPaForsendelseLink er satt',
      ),
    );
  }

  problems.push(...(context.signeringstjeneste === true ? signeringProblems(input, now) : signeringRefusals(input)));
  return uniqueProblems(problems);
}

/** Without a signing service every document to be signed is refused, naming it. */
function signeringRefusals(input: ForsendelseInput): FieldProblem[] {
  return input.dokumenter.flatMap((d, i) =>
    d.skalSigneres
      ? [
          problem(
            `dokumenter[${i}].skalSigneres`,
            'Signering støttes ikke',
            'kan ikke være true: ingen signeringstjeneste er koblet til, og brevet blir ikke sendt usignert som om det var signert. Send det uten skalSigneres, eller via en tjeneste som tilbyr signering',
          ),
        ]
      : [],
  );
}

/** Problems of one link at `path`: a valid http/https/ftp URL and a link text (docs/interfaces.md §8 lenker). */
function lenkeProblems(lenke: Lenke, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (isBlank(lenke.urlLenke)) {
    problems.push(problem(`${path}.urlLenke`, 'Mangler lenke', 'må fylles ut'));
  } else if (!isLinkUrl(lenke.urlLenke)) {
    problems.push(
      problem(
        `${path}.urlLenke`,
        'Ugyldig lenke',
        `må være en gyldig http-, https- eller ftp-adresse (fikk ${quote(lenke.urlLenke)})`,
      ),
    );
  }
  if (isBlank(lenke.urlTekst)) problems.push(problem(`${path}.urlTekst`, 'Mangler lenketekst', 'må fylles ut'));
  return problems;
}

/** True for an absolute http, https or ftp URL with a host. */
function isLinkUrl(s: string): boolean {
  // WHATWG URL would quietly strip surrounding blanks and accept inner ones; a link does not.
  if (/\s/.test(s)) return false;
  try {
    const url = new URL(s);
    return LINK_PROTOCOLS.has(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}
