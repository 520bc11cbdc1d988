/**
 * REST v1 forsendelse JSON (jsonschema-rest-v1/forsendelse.json, docs/interfaces.md §9) → the
 * canonical model. Lenient like the real service: nulls and missing booleans default,
 * unknown fields are ignored; a value of the wrong JSON type is a named field error.
 */
import { ValidationError, type FieldProblem } from '../../domain/errors.js';
import {
  asLeveringsmetode,
  LEVERINGSMETODER,
  leveringsmetodeRules,
  type Leveringsmetode,
} from '../../domain/leveringsmetode.js';
import { EKSPONERT_UTEN_NUMMER, quote } from '../../domain/validation/problem.js';
import { tryParseXsdDateTime } from '../../domain/time/index.js';
import { CAMEL_CASE_METADATA, LOWER_CASE_METADATA, type CaseMetadataNames } from '../case-metadata-names.js';
import type {
  Adresse,
  DigitalAdresse,
  DokumentSpec,
  ForsendelseInput,
  Lenke,
  MetadataEntry,
  MetadataForImport,
  MetadataFraAvleverendeSystem,
  PostAdresse,
  Signaturtype,
} from '../../domain/model.js';

type Obj = Record<string, unknown>;

/**
 * The range of every integer a REST door reads: int32 (Java `int`). KS's schemas type the
 * Noark sequence numbers int64, but the SvarInn receivers that read them back, KS's
 * svarut-sak-mottak (Gson) and eFormidling's integration point (Jackson), hold them in Java
 * `int` fields and fail on the whole list when one is larger (docs/interfaces.md §8).
 */
const INT32: readonly [number, number] = [-(2 ** 31), 2 ** 31 - 1];

/** Reads typed values out of untrusted JSON, collecting problems with their paths. */
export class Reader {
  readonly problems: FieldProblem[] = [];

  /**
   * `dates`: REST v1's dates are epoch milliseconds (ISO strings taken too); REST v2/v3's are
   * ISO 8601 date-times (`format: date-time`; epoch milliseconds taken too).
   */
  constructor(private readonly dates: 'epoch-ms' | 'iso' = 'epoch-ms') {}

  obj(v: unknown, path: string): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'object' && !Array.isArray(v)) return v as Obj;
    this.problems.push({ field: path, message: `Ugyldig verdi i ${path}: forventet et objekt` });
    return undefined;
  }

  /**
   * The `forsendelse` part itself: it must be a JSON object. `null` there is no letter at all,
   * not an absent field (found in review: a part of `null` was read as `{}` and refused
   * naming only `dokumenter`, for the files it did not describe).
   */
  root(v: unknown, path: string): Obj {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Obj;
    this.problems.push({ field: path, message: `Ugyldig verdi i ${path}: forventet et objekt` });
    return {};
  }

  /**
   * A list. An entry that is null is a problem (`entry` says what it should have been): it
   * was sent as something, and dropping it would shift every later entry's index (found in
   * review: `lenker: [null]` was stored as no link, `giroarkSider: [null]` as no giro page).
   */
  arr(v: unknown, path: string, entry = 'et objekt'): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.problems.push({ field: path, message: `Ugyldig verdi i ${path}: forventet en liste` });
      return [];
    }
    v.forEach((e, i) => {
      if (e === null)
        this.problems.push({
          field: `${path}[${i}]`,
          message: `Ugyldig verdi i ${path}[${i}]: forventet ${entry}, ikke null`,
        });
    });
    return v;
  }

  str(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    // A number for a text, as KS's Jackson converts it, where its text is known: an integer
    // a number holds exactly. JSON.parse keeps no literal, so a longer integer (an
    // eksternReferanse of 20 digits), one out of range, or a decimal ("1.10" becomes "1.1")
    // would be stored as other text than was sent, and then not be found by it.
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
    if (typeof v === 'number') {
      this.problems.push({
        field: path,
        message: `Ugyldig verdi i ${path}: tallet kan ikke leses nøyaktig som tekst; send det som tekst (i anførselstegn)`,
      });
      return undefined;
    }
    this.problems.push({ field: path, message: `Ugyldig verdi i ${path}: forventet tekst` });
    return undefined;
  }

  /**
   * An identifier or code (a fødselsnummer, a postal code, a MIME type, a URL) without the
   * blanks around it, as the SOAP doors read it (XSD whitespace collapse): `" 0155 "` was
   * taken over SOAP and refused over REST (found in review). Free text keeps its blanks.
   */
  token(v: unknown, path: string): string | undefined {
    return this.str(v, path)?.trim();
  }

  bool(v: unknown, path: string): boolean {
    if (v === undefined || v === null) return false;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    // Jackson's default scalar coercion, which KS's services read with: 0 is false, any other integer true.
    if (typeof v === 'number' && Number.isInteger(v)) return v !== 0;
    this.problems.push({ field: path, message: `Ugyldig verdi i ${path}: forventet true eller false` });
    return false;
  }

  /**
   * An integer (a JSON number or a string of digits) within int32 (INT32): years, page
   * numbers and the Noark sequence numbers. A number outside is refused rather than stored
   * changed: SvarInn lists it to archives whose clients read these fields as Java ints.
   */
  int(v: unknown, path: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    // A string of digits too long for a number becomes Infinity, which the range refuses.
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : Number.NaN;
    if (Number.isNaN(n) || (Number.isFinite(n) && !Number.isInteger(n))) {
      this.problems.push({ field: path, message: `Ugyldig verdi i ${path}: forventet et heltall` });
      return undefined;
    }
    const [min, max] = INT32;
    if (n < min || n > max) {
      this.problems.push({
        field: path,
        message: `Ugyldig verdi i ${path}: forventet et heltall fra ${min} til ${max}`,
      });
      return undefined;
    }
    return n;
  }

  /** Epoch millis of a date field (see `dates`). */
  date(v: unknown, path: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (this.dates === 'iso') {
      // REST v2/v3 type every date a string (format date-time); KS's Jackson would read a
      // number as epoch seconds, so milliseconds taken here landed elsewhere (found in review).
      const at = typeof v === 'string' ? tryParseXsdDateTime(v) : undefined;
      if (at !== undefined) return at;
      this.problems.push({
        field: path,
        message: `Ugyldig dato i ${path}: forventet dato og tid (ISO 8601) som 2026-12-05T10:15:00+01:00`,
      });
      return undefined;
    }
    // Whole milliseconds within Date's range: ±1e20 would break every formatter, and a
    // fraction is listed by SvarInn to receivers that read the date as a Java long.
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isNaN(new Date(v).getTime())) return v;
    const at = v1DateValue(v);
    if (at !== undefined) return at;
    this.problems.push({ field: path, message: `Ugyldig dato i ${path}: forventet millisekunder siden 1970` });
    return undefined;
  }
}

/**
 * A REST v1 date as epoch ms: a number (jsonschema-rest-v1: epoch milliseconds), or what
 * KS's Jackson also reads into a date from a string: the milliseconds as digits, or an ISO
 * 8601 date or date and time (no offset: Oslo time). Anything else is undefined, never
 * guessed: `Date.parse` reads "Sak 12" as a day in 2001.
 */
export function v1DateValue(v: unknown): number | undefined {
  // Whole milliseconds within Date's range only (jsonschema-rest-v1: `multipleOf: 1`).
  const valid = (n: number): number | undefined =>
    Number.isInteger(n) && !Number.isNaN(new Date(n).getTime()) ? n : undefined;
  if (typeof v === 'number') return valid(v);
  if (typeof v !== 'string') return undefined;
  const text = v.trim();
  if (/^-?\d{1,16}$/.test(text)) return valid(Number(text));
  return tryParseXsdDateTime(text);
}

/** `ekstraMetadata`: key/value pairs. */
export function entries(r: Reader, v: unknown, path: string): MetadataEntry[] {
  return r.arr(v, path).flatMap((e, i) => {
    const o = r.obj(e, `${path}[${i}]`);
    if (o === undefined) return [];
    return [{ key: r.str(o.key, `${path}[${i}].key`) ?? '', value: r.str(o.value, `${path}[${i}].value`) ?? '' }];
  });
}

function postAdresse(r: Reader, v: unknown, path: string): PostAdresse | undefined {
  const o = r.obj(v, path);
  if (o === undefined) return undefined;
  return {
    navn: r.str(o.navn, `${path}.navn`) ?? '',
    adresse1: r.str(o.adresse1, `${path}.adresse1`),
    adresse2: r.str(o.adresse2, `${path}.adresse2`),
    adresse3: r.str(o.adresse3, `${path}.adresse3`),
    postnr: r.token(o.postNummer ?? o.postnr, `${path}.postNummer`),
    poststed: r.str(o.postSted ?? o.poststed, `${path}.postSted`),
    land: r.str(o.land, `${path}.land`),
  };
}

function digitalAdresse(r: Reader, v: unknown, path: string): DigitalAdresse | undefined {
  const o = r.obj(v, path);
  if (o === undefined) return undefined;
  const fnr = r.token(o.fodselsNummer ?? o.fnr, `${path}.fodselsNummer`);
  const orgnr = r.token(o.organisasjonsNummer ?? o.orgnr, `${path}.organisasjonsNummer`);
  const isPerson = fnr !== undefined && fnr !== '';
  const isOrganisation = orgnr !== undefined && orgnr !== '';
  // forsendelse.json's digitaladresse is one of the two (clients send the other as null).
  if (isPerson && isOrganisation) {
    r.problems.push({
      field: path,
      message: `Ugyldig digital adresse: ${path} kan ha fodselsNummer eller organisasjonsNummer, ikke begge`,
    });
    return undefined;
  }
  if (isPerson) return { type: 'person', fnr };
  if (isOrganisation) return { type: 'organisasjon', orgnr };
  return undefined;
}

function adresse(r: Reader, v: unknown, path: string): Adresse | undefined {
  const o = r.obj(v, path);
  if (o === undefined) return undefined;
  return {
    postAdresse: postAdresse(r, o.postAdresse, `${path}.postAdresse`),
    digitalAdresse: digitalAdresse(r, o.digitalAdresse, `${path}.digitalAdresse`),
  };
}

function dokument(r: Reader, v: unknown, path: string): DokumentSpec | undefined {
  const o = r.obj(v, path);
  if (o === undefined) return undefined;
  return {
    filnavn: r.str(o.filnavn, `${path}.filnavn`) ?? '',
    mimetype: r.token(o.mimeType ?? o.mimetype, `${path}.mimeType`) ?? '',
    dokumentType: r.str(o.dokumentType, `${path}.dokumentType`),
    ekskluderesFraPrint: r.bool(o.ekskluderesFraUtskrift ?? o.ekskluderesFraPrint, `${path}.ekskluderesFraUtskrift`),
    skalSigneres: r.bool(o.skalSigneres, `${path}.skalSigneres`),
    inneholderPersonsensitivInformasjon: r.bool(
      o.inneholderPersonsensitivInformasjon,
      `${path}.inneholderPersonsensitivInformasjon`,
    ),
    giroarkSider: r
      .arr(o.giroarkSider, `${path}.giroarkSider`, 'et heltall')
      .flatMap((p, i) => r.int(p, `${path}.giroarkSider[${i}]`) ?? []),
    ekstraMetadata: entries(r, o.ekstraMetadata, `${path}.ekstraMetadata`),
  };
}

function lenke(r: Reader, v: unknown, path: string): Lenke | undefined {
  const o = r.obj(v, path);
  if (o === undefined) return undefined;
  return {
    urlLenke: r.token(o.urlLenke, `${path}.urlLenke`) ?? '',
    urlTekst: r.str(o.urlTekst, `${path}.urlTekst`) ?? '',
    ledetekst: r.str(o.ledeTekst ?? o.ledetekst, `${path}.ledeTekst`),
  };
}

/** metadataFraAvleverendeSystem, its fields named by `n` (REST v1 camelCase, Fiks v2/v3 lower case). */
export function readMetadataFra(
  r: Reader,
  v: unknown,
  p: string,
  n: CaseMetadataNames = CAMEL_CASE_METADATA,
): MetadataFraAvleverendeSystem | undefined {
  const o = r.obj(v, p);
  if (o === undefined) return undefined;
  return {
    sakssekvensnummer: r.int(o[n.sakssekvensnummer], `${p}.${n.sakssekvensnummer}`),
    saksaar: r.int(o[n.saksaar], `${p}.${n.saksaar}`),
    journalaar: r.int(o[n.journalaar], `${p}.${n.journalaar}`),
    journalsekvensnummer: r.int(o[n.journalsekvensnummer], `${p}.${n.journalsekvensnummer}`),
    journalpostnummer: r.int(o[n.journalpostnummer], `${p}.${n.journalpostnummer}`),
    journalposttype: r.str(o[n.journalposttype], `${p}.${n.journalposttype}`),
    journalstatus: r.str(o[n.journalstatus], `${p}.${n.journalstatus}`),
    journaldato: r.date(o[n.journaldato], `${p}.${n.journaldato}`),
    dokumentetsDato: r.date(o.dokumentetsDato, `${p}.dokumentetsDato`),
    tittel: r.str(o.tittel, `${p}.tittel`),
    saksbehandler: r.str(o[n.saksbehandler], `${p}.${n.saksbehandler}`),
    ekstraMetadata: entries(r, o.ekstraMetadata, `${p}.ekstraMetadata`),
  };
}

/** metadataForImport, its fields named by `n`. */
export function readMetadataForImport(
  r: Reader,
  v: unknown,
  p: string,
  n: CaseMetadataNames = CAMEL_CASE_METADATA,
): MetadataForImport | undefined {
  const o = r.obj(v, p);
  if (o === undefined) return undefined;
  return {
    sakssekvensnummer: r.int(o[n.sakssekvensnummer], `${p}.${n.sakssekvensnummer}`),
    saksaar: r.int(o[n.saksaar], `${p}.${n.saksaar}`),
    journalposttype: r.str(o[n.journalposttype], `${p}.${n.journalposttype}`),
    journalstatus: r.str(o[n.journalstatus], `${p}.${n.journalstatus}`),
    dokumentetsDato: r.date(o.dokumentetsDato, `${p}.dokumentetsDato`),
    tittel: r.str(o.tittel, `${p}.tittel`),
    ...(n === LOWER_CASE_METADATA ? archiveIds(r, o, p) : {}),
  };
}

/** REST v2/v3's ids of the case folder and the registration in the receiving archive. */
function archiveIds(r: Reader, o: Obj, p: string): Partial<MetadataForImport> {
  const ids: Partial<Record<keyof MetadataForImport, string | number | undefined>> = {
    mappeId: r.str(o.mappeId, `${p}.mappeId`),
    mappeSystemId: r.str(o.mappeSystemId, `${p}.mappeSystemId`),
    systemId: r.str(o.systemId, `${p}.systemId`),
    registreringsId: r.str(o.registreringsId, `${p}.registreringsId`),
    journalpostnummer: r.int(o.journalpostnummer, `${p}.journalpostnummer`),
    journalaar: r.int(o.journalaar, `${p}.journalaar`),
    journalsekvensnummer: r.int(o.journalsekvensnummer, `${p}.journalsekvensnummer`),
  };
  return Object.fromEntries(Object.entries(ids).filter(([, v]) => v !== undefined)) as Partial<MetadataForImport>;
}

/**
 * `leveringsmetode` (KS's REST v1 page, as V11; docs/interfaces.md §6a): in place of
 * kunDigitalLevering when given; a value that is none of the three is a problem.
 */
function leveringsmetode(r: Reader, v: unknown): Leveringsmetode | undefined {
  const s = r.str(v, 'leveringsmetode');
  if (s === undefined || s.trim() === '') return undefined;
  const metode = asLeveringsmetode(s);
  if (metode === undefined)
    r.problems.push({
      field: 'leveringsmetode',
      message: `Ugyldig leveringsmetode ${quote(s)}: må være en av ${LEVERINGSMETODER.join(', ')}`,
    });
  return metode;
}

/** True when the `forsendelse` part asks for KUN_DIGITAL_UTEN_LEVERANSEGARANTI (SendOptions.kreverDigitalMottaker). */
export function v1KreverDigitalMottaker(json: unknown): boolean {
  const v = typeof json === 'object' && json !== null ? (json as Obj).leveringsmetode : undefined;
  const metode = typeof v === 'string' ? asLeveringsmetode(v) : undefined;
  return metode !== undefined && leveringsmetodeRules(metode).kreverDigitalMottaker;
}

/** Maps a parsed REST v1 `forsendelse` part; throws ValidationError on wrongly typed fields. */
export function forsendelseFromV1Json(json: unknown): ForsendelseInput {
  const r = new Reader();
  const o = r.root(json, 'forsendelse');
  const utskrift = r.obj(o.utskriftsKonfigurasjon, 'utskriftsKonfigurasjon');
  const svarPa = o.svarPaForsendelse;
  const signaturType = r.str(o.signaturType, 'signaturType');
  const metode = leveringsmetode(r, o.leveringsmetode);
  const input: ForsendelseInput = {
    tittel: r.str(o.tittel, 'tittel') ?? '',
    mottaker: adresse(r, o.mottaker, 'mottaker'),
    avgivendeSystem: r.str(o.avgivendeSystem, 'avgivendeSystem'),
    eksternref: r.str(o.eksternReferanse ?? o.eksternref, 'eksternReferanse'),
    forsendelseType: r.str(o.forsendelsesType ?? o.forsendelseType, 'forsendelsesType'),
    konteringskode: r.str(o.konteringsKode ?? o.konteringskode, 'konteringsKode'),
    krevNiva4Innlogging: r.bool(o.krevNiva4Innlogging, 'krevNiva4Innlogging'),
    kryptert: r.bool(o.kryptert, 'kryptert'),
    kunDigitalLevering:
      metode === undefined
        ? r.bool(o.kunDigitalLevering, 'kunDigitalLevering')
        : leveringsmetodeRules(metode).kunDigital,
    taushetsbelagtPost: r.bool(o.taushetsbelagtPost, 'taushetsbelagtPost'),
    printkonfigurasjon:
      utskrift === undefined
        ? undefined
        : {
            fargePrint: r.bool(utskrift.utskriftMedFarger, 'utskriftsKonfigurasjon.utskriftMedFarger'),
            tosidig: r.bool(utskrift.tosidig, 'utskriftsKonfigurasjon.tosidig'),
          },
    lenker: r.arr(o.lenker, 'lenker').flatMap((l, i) => lenke(r, l, `lenker[${i}]`) ?? []),
    metadataFraAvleverendeSystem: readMetadataFra(r, o.metadataFraAvleverendeSystem, 'metadataFraAvleverendeSystem'),
    metadataForImport: readMetadataForImport(r, o.metadataForImport, 'metadataForImport'),
    svarSendesTil: adresse(r, o.svarSendesTil, 'svarSendesTil'),
    svarPaForsendelse:
      typeof svarPa === 'object' && svarPa !== null
        ? r.str((svarPa as Obj).id, 'svarPaForsendelse.id')
        : r.str(svarPa, 'svarPaForsendelse'),
    svarPaForsendelseLink: r.bool(o.svarPaForsendelseLink, 'svarPaForsendelseLink'),
    signaturtype: signaturType === undefined || signaturType === '' ? undefined : (signaturType as Signaturtype),
    signeringUtloper: r.date(o.signeringUtloper, 'signeringUtloper'),
    eksponertFor: r.arr(o.eksponertFor, 'eksponertFor').flatMap((d, i) => {
      const named = r.problems.length;
      const a = digitalAdresse(r, d, `eksponertFor[${i}]`);
      // One whose fault was named already (both numbers, a wrong type) is not named twice.
      if (a === undefined && r.problems.length === named && d !== null && typeof d === 'object' && !Array.isArray(d))
        r.problems.push({
          field: `eksponertFor[${i}]`,
          message: `Ugyldig verdi i eksponertFor[${i}]: ${EKSPONERT_UTEN_NUMMER}`,
        });
      return a ?? [];
    }),
    dokumenter: r.arr(o.dokumenter, 'dokumenter').flatMap((d, i) => dokument(r, d, `dokumenter[${i}]`) ?? []),
  };
  if (
    signaturType !== undefined &&
    signaturType !== '' &&
    !['AUTENTISERT_SIGNATUR', 'AVANSERT_SIGNATUR'].includes(signaturType)
  ) {
    r.problems.push({
      field: 'signaturType',
      message: `Ugyldig signaturType '${signaturType}': må være AUTENTISERT_SIGNATUR eller AVANSERT_SIGNATUR`,
    });
  }
  if (r.problems.length > 0) throw new ValidationError(r.problems);
  return input;
}
