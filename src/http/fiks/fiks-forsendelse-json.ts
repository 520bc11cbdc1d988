/**
 * REST v2 `Forsendelse` and REST v3 `PersonForsendelse` / `OrganisasjonForsendelse` /
 * `PrintForsendelse` JSON (KS's OpenAPI files, src/http/openapi/ks/; docs/interfaces.md
 * "REST v2 and v3") → the canonical model. Lenient like REST v1 (unknown fields ignored,
 * nulls default); a value of the wrong JSON type, or a v3 recipient of the wrong kind, is a
 * named field error.
 */
import { ValidationError, type FieldProblem } from '../../domain/errors.js';
import { EKSPONERT_UTEN_NUMMER } from '../../domain/validation/problem.js';
import type {
  Adresse,
  DigitalAdresse,
  DokumentSpec,
  ForsendelseInput,
  Lenke,
  PostAdresse,
  Signaturtype,
} from '../../domain/model.js';
import { LOWER_CASE_METADATA } from '../case-metadata-names.js';
import { entries, readMetadataForImport, readMetadataFra, Reader } from '../rest/v1-forsendelse-json.js';
import { fiksSchemaProblems, withSchemaFieldsOnly } from './fiks-schema-check.js';

type Obj = Record<string, unknown>;

/** The three kinds of v3 send. */
export type V3Kind = 'person' | 'organisasjon' | 'print';

/** A digitalId: 9 digits an organisation, anything else a person (so a wrong one is named as a fødselsnummer). */
function digital(id: string | undefined): DigitalAdresse | undefined {
  if (id === undefined || id.trim() === '') return undefined;
  return /^[0-9]{9}$/.test(id.trim()) ? { type: 'organisasjon', orgnr: id.trim() } : { type: 'person', fnr: id.trim() };
}

/** v2 `Adresse`: flat, postal lines plus an optional digitalId. */
function v2Adresse(r: Reader, v: unknown, path: string): Adresse | undefined {
  const o = r.obj(v, path);
  if (o === undefined) return undefined;
  const post: PostAdresse = {
    navn: r.str(o.navn, `${path}.navn`) ?? '',
    adresse1: r.str(o.adresselinje1, `${path}.adresselinje1`),
    adresse2: r.str(o.adresselinje2, `${path}.adresselinje2`),
    adresse3: r.str(o.adresselinje3, `${path}.adresselinje3`),
    postnr: r.token(o.postnummer, `${path}.postnummer`),
    poststed: r.str(o.poststed, `${path}.poststed`),
    land: r.str(o.land, `${path}.land`),
  };
  return { postAdresse: post, digitalAdresse: digital(r.str(o.digitalId, `${path}.digitalId`)) };
}

/** v3 `Adresse` (postal lines and a landkode) under a name. */
function v3Post(r: Reader, navn: string, v: unknown, path: string): PostAdresse | undefined {
  const o = r.obj(v, path);
  if (o === undefined) return undefined;
  return {
    navn,
    adresse1: r.str(o.adresselinje1, `${path}.adresselinje1`),
    adresse2: r.str(o.adresselinje2, `${path}.adresselinje2`),
    adresse3: r.str(o.adresselinje3, `${path}.adresselinje3`),
    postnr: r.token(o.postnummer, `${path}.postnummer`),
    poststed: r.str(o.poststed, `${path}.poststed`),
    land: r.str(o.landkode, `${path}.landkode`),
  };
}

function lenker(r: Reader, v: unknown): Lenke[] {
  return r.arr(v, 'lenker').flatMap((l, i) => {
    const o = r.obj(l, `lenker[${i}]`);
    if (o === undefined) return [];
    return [
      {
        urlLenke: r.token(o.url, `lenker[${i}].url`) ?? '',
        urlTekst: r.str(o.tekst, `lenker[${i}].tekst`) ?? '',
        ledetekst: r.str(o.ledetekst, `lenker[${i}].ledetekst`),
      },
    ];
  });
}

/** A document of v2 (`giroarkSider`) or v3 (`giroarkSide`, one page). */
function dokument(r: Reader, v: unknown, path: string): DokumentSpec | undefined {
  const o = r.obj(v, path);
  if (o === undefined) return undefined;
  const side = r.int(o.giroarkSide, `${path}.giroarkSide`);
  return {
    filnavn: r.str(o.filnavn, `${path}.filnavn`) ?? '',
    mimetype: r.token(o.mimeType, `${path}.mimeType`) ?? '',
    dokumentType: r.str(o.dokumentType, `${path}.dokumentType`),
    ekskluderesFraPrint: r.bool(o.skalEkskluderesFraUtskrift, `${path}.skalEkskluderesFraUtskrift`),
    skalSigneres: r.bool(o.skalSigneres, `${path}.skalSigneres`),
    inneholderPersonsensitivInformasjon: r.bool(
      o.inneholderPersonsensitivInformasjon,
      `${path}.inneholderPersonsensitivInformasjon`,
    ),
    giroarkSider: [
      ...r
        .arr(o.giroarkSider, `${path}.giroarkSider`, 'et heltall')
        .flatMap((p, i) => r.int(p, `${path}.giroarkSider[${i}]`) ?? []),
      ...(side === undefined ? [] : [side]),
    ],
    ekstraMetadata: entries(r, o.ekstraMetadata, `${path}.ekstraMetadata`),
  };
}

function signaturtype(r: Reader, v: unknown, path: string): Signaturtype | undefined {
  const s = r.str(v, path);
  if (s === undefined || s === '') return undefined;
  if (s === 'AUTENTISERT_SIGNATUR' || s === 'AVANSERT_SIGNATUR') return s;
  r.problems.push({
    field: path,
    message: `Ugyldig ${path} '${s}': må være AUTENTISERT_SIGNATUR eller AVANSERT_SIGNATUR`,
  });
  return undefined;
}

/**
 * The fields v2 and every v3 kind share, under either version's name: `o` holds only its own
 * version's schema's fields (withSchemaFieldsOnly), so a v3 name never reaches a v2 letter.
 */
function common(r: Reader, o: Obj): Omit<ForsendelseInput, 'mottaker' | 'svarSendesTil' | 'krevNiva4Innlogging'> {
  const utskrift = r.obj(o.utskriftskonfigurasjon, 'utskriftskonfigurasjon');
  return {
    tittel: r.str(o.tittel, 'tittel') ?? '',
    avgivendeSystem: r.str(o.avgivendeSystem, 'avgivendeSystem'),
    avgivendeSystemAktor: r.str(o.avgivendeSystemAktor, 'avgivendeSystemAktor'),
    eksternref: r.str(o.eksternReferanse, 'eksternReferanse'),
    korrelasjonsid: r.str(o.korrelasjonsid, 'korrelasjonsid'),
    forsendelseType: r.str(o.forsendelsestype, 'forsendelsestype'),
    konteringskode: r.str(o.konteringskode, 'konteringskode'),
    kryptert: r.bool(o.kryptert, 'kryptert'),
    kunDigitalLevering: r.bool(o.kunDigitalLevering, 'kunDigitalLevering'),
    taushetsbelagtPost: r.bool(o.taushetsbelagtPost, 'taushetsbelagtPost'),
    printkonfigurasjon:
      utskrift === undefined
        ? undefined
        : {
            fargePrint: r.bool(utskrift.utskriftMedFarger, 'utskriftskonfigurasjon.utskriftMedFarger'),
            tosidig: r.bool(utskrift.tosidig, 'utskriftskonfigurasjon.tosidig'),
          },
    lenker: lenker(r, o.lenker),
    metadataFraAvleverendeSystem: readMetadataFra(
      r,
      o.metadataFraAvleverendeSystem,
      'metadataFraAvleverendeSystem',
      LOWER_CASE_METADATA,
    ),
    metadataForImport: readMetadataForImport(r, o.metadataForImport, 'metadataForImport', LOWER_CASE_METADATA),
    svarPaForsendelse: r.str(o.svarPaForsendelse ?? o.svarPaForsendelseId, 'svarPaForsendelse'),
    svarPaForsendelseLink: r.bool(o.svarPaForsendelseLink ?? o.kanSvareViaEdialog, 'kanSvareViaEdialog'),
    signaturtype: signaturtype(r, o.signaturType, 'signaturType'),
    signeringUtloper: r.date(o.signeringUtloper, 'signeringUtloper'),
    eksponertFor: r.arr(o.eksponertFor, 'eksponertFor', 'tekst').flatMap((d, i) => {
      const id = r.str(d, `eksponertFor[${i}]`);
      if (id !== undefined && id.trim() === '')
        r.problems.push({
          field: `eksponertFor[${i}]`,
          message: `Ugyldig verdi i eksponertFor[${i}]: ${EKSPONERT_UTEN_NUMMER}`,
        });
      return digital(id) ?? [];
    }),
    dokumenter: r.arr(o.dokumenter, 'dokumenter').flatMap((d, i) => dokument(r, d, `dokumenter[${i}]`) ?? []),
  };
}

/** Maps a parsed REST v2 `forsendelse` part; throws ValidationError on wrongly typed fields. */
export function forsendelseFromV2Json(given: unknown): ForsendelseInput {
  const r = new Reader('iso');
  // Only what v2's schema defines: v3's names (`kanSvareViaEdialog`, `svarPaForsendelseId`, a
  // document's `giroarkSide`, `sikkerhetsniva`, …) are unknown fields to v2, taken and ignored
  // as KS's Jackson does, not read as their v2 equivalents (found in review).
  const json = withSchemaFieldsOnly('v2', given);
  const schemaProblems = fiksSchemaProblems('v2', json);
  const o = r.root(json, 'forsendelse');
  const input: ForsendelseInput = {
    ...common(r, o),
    mottaker: v2Adresse(r, o.mottaker, 'mottaker'),
    svarSendesTil: v2Adresse(r, o.svarSendesTil, 'svarSendesTil'),
    krevNiva4Innlogging: r.bool(o.krevNiva4Innlogging, 'krevNiva4Innlogging'),
  };
  refuse(r, schemaProblems);
  return input;
}

/** v3 `SvarSendesTil`: a name, a type, a digital id and a postal address. */
function v3SvarSendesTil(r: Reader, v: unknown): Adresse | undefined {
  const o = r.obj(v, 'svarSendesTil');
  if (o === undefined) return undefined;
  const navn = r.str(o.navn, 'svarSendesTil.navn') ?? '';
  const type = r.str(o.type, 'svarSendesTil.type');
  const id = r.token(o.digitalId, 'svarSendesTil.digitalId');
  if (type === 'NHN_MOTTAKER') {
    // The v3 schema allows it, but a reply address in Norsk Helsenett has nowhere to go here
    // (the NHN door answers 501): refused by name, not read as a fødselsnummer.
    r.problems.push({
      field: 'svarSendesTil.type',
      message:
        'Ugyldig svarSendesTil.type: NHN_MOTTAKER (svar via Norsk helsenett) støttes ikke av denne tjenesten; bruk PERSON eller ORGANISASJON',
    });
    return undefined;
  }
  const digitalAdresse: DigitalAdresse | undefined =
    id === undefined || id === ''
      ? undefined
      : type === 'ORGANISASJON'
        ? { type: 'organisasjon', orgnr: id }
        : { type: 'person', fnr: id };
  return { postAdresse: v3Post(r, navn, o.adresse, 'svarSendesTil.adresse'), digitalAdresse };
}

/** The v3 recipient of `kind`, checked to be that kind. */
function v3Mottaker(r: Reader, kind: V3Kind, v: unknown): Adresse | undefined {
  const o = r.obj(v, 'mottaker');
  if (o === undefined) return undefined;
  const navn = r.str(o.navn, 'mottaker.navn') ?? '';
  const postAdresse = v3Post(r, navn, o.adresse, 'mottaker.adresse') ?? { navn };
  if (kind === 'print') return { postAdresse };
  const id = (r.str(o.digitalId, 'mottaker.digitalId') ?? '').trim();
  if (kind === 'person' && /^[0-9]{9}$/.test(id)) {
    r.problems.push({
      field: 'mottaker.digitalId',
      message: `Ugyldig mottaker.digitalId: '${id}' er et organisasjonsnummer; en forsendelse til person krever fødselsnummer eller d-nummer (11 siffer). Send til organisasjoner med /forsendelser/organisasjon`,
    });
  }
  if (kind === 'organisasjon' && !/^[0-9]{9}$/.test(id)) {
    r.problems.push({
      field: 'mottaker.digitalId',
      message: `Ugyldig mottaker.digitalId: en forsendelse til organisasjon krever organisasjonsnummer (9 siffer), fikk '${id}'`,
    });
  }
  const digitalAdresse: DigitalAdresse | undefined =
    id === '' ? undefined : kind === 'person' ? { type: 'person', fnr: id } : { type: 'organisasjon', orgnr: id };
  return { postAdresse, digitalAdresse };
}

/**
 * Throws every problem the reader found and those of the schema check on other fields (one
 * per field: the reader's names the value it could not read, e.g. an unknown sikkerhetsniva).
 */
function refuse(r: Reader, schemaProblems: readonly FieldProblem[]): void {
  const named = new Set(r.problems.map((p) => p.field));
  const problems = [...r.problems, ...schemaProblems.filter((p) => !named.has(p.field))];
  if (problems.length > 0) throw new ValidationError(problems);
}

/** PrintForsendelse: "alle filer må vere PDF … Kun application/pdf godtas" (v3 OpenAPI). */
function onlyPdf(dokumenter: readonly DokumentSpec[]): FieldProblem[] {
  return dokumenter.flatMap((d, i) =>
    d.mimetype.trim().toLowerCase() === 'application/pdf'
      ? []
      : [
          {
            field: `dokumenter[${i}].mimeType`,
            message: `Ugyldig dokumenter[${i}].mimeType: en forsendelse til print tar bare PDF (application/pdf), fikk «${d.mimetype.slice(0, 127)}»`,
          },
        ],
  );
}

/** Maps a parsed REST v3 `forsendelse` part of `kind`; throws ValidationError naming every problem. */
export function forsendelseFromV3Json(kind: V3Kind, given: unknown): ForsendelseInput {
  const r = new Reader('iso');
  const json = withSchemaFieldsOnly(kind, given);
  const schemaProblems = fiksSchemaProblems(kind, json);
  const o = r.root(json, 'forsendelse');
  const signering = r.obj(o.signering, 'signering');
  const sikkerhetsniva = r.str(o.sikkerhetsniva, 'sikkerhetsniva');
  if (sikkerhetsniva !== undefined && sikkerhetsniva !== 'BETYDELIG' && sikkerhetsniva !== 'HOYESTE') {
    r.problems.push({
      field: 'sikkerhetsniva',
      message: `Ugyldig sikkerhetsniva '${sikkerhetsniva}': må være BETYDELIG eller HOYESTE`,
    });
  }
  const base = common(r, o);
  if (kind === 'print') r.problems.push(...onlyPdf(base.dokumenter));
  const input: ForsendelseInput = {
    ...base,
    mottaker: v3Mottaker(r, kind, o.mottaker),
    svarSendesTil: v3SvarSendesTil(r, o.svarSendesTil),
    krevNiva4Innlogging: sikkerhetsniva === 'HOYESTE',
    // A print letter has no digital recipient; it can never be digital only.
    kunDigitalLevering: kind === 'print' ? false : base.kunDigitalLevering,
    ...(signering === undefined
      ? {}
      : {
          signaturtype: signaturtype(r, signering.signaturType, 'signering.signaturType'),
          signeringUtloper: r.date(signering.signeringUtloper, 'signering.signeringUtloper'),
        }),
  };
  refuse(r, schemaProblems);
  return input;
}
