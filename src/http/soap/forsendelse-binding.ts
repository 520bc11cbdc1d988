/**
 * Binds a classic (V4–V9) `<forsendelse>` element to the canonical ForsendelseInput
 * (docs/interfaces.md §5, §6a): V8/V9's `adresse` model, or V4/V6's abstract `mottaker`
 * (privatPerson/organisasjon by `xsi:type`) with the forsendelse-level `dokumentType` that
 * V7 renamed `forsendelseType`. Read
 * leniently (docs/interfaces.md §15 points 4, 5, 8): any element order, unknown elements ignored,
 * missing booleans false, `digitalAdresse` typed by `xsi:type` resolved against the
 * namespaces in scope, an `organisasjonDigitalAdresse` without orgnr (the Node client
 * 7.0.0) read as a postal-only recipient, and a `forsendelsesid` inside `<forsendelse>`
 * (the Node client's sendForsendelseMedId) picked up.
 */
import type {
  Adresse,
  DigitalAdresse,
  DokumentSpec,
  ForsendelseInput,
  Lenke,
  MetadataForImport,
  MetadataFraAvleverendeSystem,
  PostAdresse,
  PrintKonfigurasjon,
} from '../../domain/model.js';
import { LOWER_CASE_METADATA, type CaseMetadataNames } from '../case-metadata-names.js';
import { Binder } from './binder.js';
import { SERVICE_NS } from './namespaces.js';
import type { ForsendelseModel } from './service-versions.js';
import { child, children, type XmlElement } from './xml-element.js';

/** The bound forsendelse plus what the door still needs: each document's data slot. */
export interface BoundForsendelse {
  readonly input: ForsendelseInput;
  /** Per document, the envelope's data slot of its `<data>` (undefined when it had none). */
  readonly dataSlots: readonly (number | undefined)[];
  /** A `forsendelsesid` found inside `<forsendelse>` (docs/interfaces.md §15 point 8). */
  readonly innerId: string | undefined;
  /** V11 `leveringsmetode` KUN_DIGITAL_UTEN_LEVERANSEGARANTI: refused at intake unless KRR reaches the person. */
  readonly kreverDigitalMottaker?: true;
}

/** The version facts the binding needs: its namespace (for `xsi:type`) and its model. */
export interface ClassicModel {
  readonly namespace: string;
  readonly model: ForsendelseModel;
}

const V9_MODEL: ClassicModel = { namespace: SERVICE_NS, model: 'adresse' };

/** Binds `<forsendelse>`; throws ValidationError naming every unreadable value. */
export function bindForsendelse(el: XmlElement | undefined, version: ClassicModel = V9_MODEL): BoundForsendelse {
  const b = new Binder();
  const adresse = (a: XmlElement | undefined): Adresse | undefined =>
    version.model === 'mottaker' ? bindMottaker(b, a, version.namespace) : bindAdresse(b, a, version.namespace);
  const dokumentElements = children(el, 'dokumenter');
  const dokumenter = dokumentElements.map((d, i) => bindDokument(b, d, `dokumenter[${i}]`));
  const signaturtype = b.oneOf(el, 'signaturtype', 'signaturtype', [
    'AUTENTISERT_SIGNATUR',
    'AVANSERT_SIGNATUR',
  ] as const);
  const input: ForsendelseInput = {
    tittel: b.str(el, 'tittel') ?? '',
    mottaker: adresse(child(el, 'mottaker')),
    avgivendeSystem: b.str(el, 'avgivendeSystem'),
    eksternref: b.str(el, 'eksternref'),
    forsendelseType:
      b.str(el, 'forsendelseType') ?? (version.model === 'mottaker' ? b.str(el, 'dokumentType') : undefined),
    konteringskode: b.str(el, 'konteringskode'),
    krevNiva4Innlogging: b.bool(el, 'krevNiva4Innlogging', 'krevNiva4Innlogging'),
    kryptert: b.bool(el, 'kryptert', 'kryptert'),
    kunDigitalLevering: b.bool(el, 'kunDigitalLevering', 'kunDigitalLevering'),
    // Not in V9; REST v1/V11 only.
    taushetsbelagtPost: false,
    printkonfigurasjon: bindPrint(b, child(el, 'printkonfigurasjon')),
    lenker: children(el, 'lenker').map((l) => bindLenke(b, l)),
    metadataFraAvleverendeSystem: bindMetadataFra(b, child(el, 'metadataFraAvleverendeSystem')),
    metadataForImport: bindMetadataForImport(b, child(el, 'metadataForImport')),
    svarSendesTil: adresse(child(el, 'svarSendesTil')),
    svarPaForsendelse: b.token(el, 'svarPaForsendelse'),
    svarPaForsendelseLink: b.bool(el, 'svarPaForsendelseLink', 'svarPaForsendelseLink'),
    signaturtype,
    signeringUtloper: b.dateTime(el, 'signeringUtloper', 'signeringUtloper'),
    eksponertFor: [],
    dokumenter,
  };
  const innerId = b.token(el, 'forsendelsesid');
  b.check();
  return {
    input: dropUndefined(input),
    dataSlots: dokumentElements.map((d) => child(d, 'data')?.dataSlot),
    innerId,
  };
}

/** One `dokumenter` element (its data is bound apart, as a slot); its elements named by `n`. */
export function bindDokument(
  b: Binder,
  el: XmlElement,
  path: string,
  n: ElementNames = LOWER_CASE_NAMES,
): DokumentSpec {
  b.structure(el);
  const giroarkSider: number[] = [];
  for (const g of children(el, 'giroarkSider')) {
    const page = b.intValue(b.textOf(g), `${path}.giroarkSider`);
    if (page !== undefined) giroarkSider.push(page);
  }
  return dropUndefined({
    filnavn: b.str(el, 'filnavn') ?? '',
    mimetype: b.token(el, n.mimetype) ?? '',
    dokumentType: b.str(el, 'dokumentType'),
    ekskluderesFraPrint: b.bool(el, n.ekskluderesFraPrint, `${path}.${n.ekskluderesFraPrint}`),
    skalSigneres: b.bool(el, 'skalSigneres', `${path}.skalSigneres`),
    inneholderPersonsensitivInformasjon: false,
    giroarkSider,
    ekstraMetadata: [],
  });
}

/** `postAdresse`, its elements named by `n`; undefined when absent or nil. */
export function bindPostAdresse(
  b: Binder,
  post: XmlElement | undefined,
  n: ElementNames = LOWER_CASE_NAMES,
): PostAdresse | undefined {
  if (!b.structure(post)) return undefined;
  return dropUndefined({
    navn: b.str(post, 'navn') ?? '',
    adresse1: b.str(post, 'adresse1'),
    adresse2: b.str(post, 'adresse2'),
    adresse3: b.str(post, 'adresse3'),
    postnr: b.token(post, n.postnr),
    poststed: b.str(post, n.poststed),
    land: b.str(post, 'land'),
  });
}

/** `adresse`: digital address (by xsi:type), postal address, or both; undefined when absent. */
function bindAdresse(b: Binder, el: XmlElement | undefined, namespace: string): Adresse | undefined {
  if (!b.structure(el)) return undefined;
  const postAdresse = bindPostAdresse(b, child(el, 'postAdresse'));
  const digitalAdresse = bindDigitalAdresse(b, child(el, 'digitalAdresse'), namespace);
  return dropUndefined({ digitalAdresse, postAdresse });
}

/**
 * V4/V6 `mottaker`: abstract, its postal fields inline, `xsi:type` privatPerson (with
 * `fodselsnr`) or organisasjon (with `orgnr`). Without a usable type the number decides;
 * a number-less recipient is postal only.
 */
function bindMottaker(b: Binder, el: XmlElement | undefined, namespace: string): Adresse | undefined {
  if (!b.structure(el)) return undefined;
  const fnr = b.token(el, 'fodselsnr');
  const orgnr = b.token(el, 'orgnr');
  const type = el.xsiType;
  const typed = type !== undefined && (type.uri === namespace || type.uri === undefined) ? type.local : undefined;
  const person: DigitalAdresse | undefined = fnr === undefined ? undefined : { type: 'person', fnr };
  const organisasjon: DigitalAdresse | undefined = orgnr === undefined ? undefined : { type: 'organisasjon', orgnr };
  const digitalAdresse =
    typed === 'privatPerson' ? person : typed === 'organisasjon' ? organisasjon : (person ?? organisasjon);
  const navn = b.str(el, 'navn');
  const postAdresse: PostAdresse | undefined =
    navn === undefined && b.str(el, 'adresse1') === undefined && b.token(el, 'postnr') === undefined
      ? undefined
      : dropUndefined({
          navn: navn ?? '',
          adresse1: b.str(el, 'adresse1'),
          adresse2: b.str(el, 'adresse2'),
          adresse3: b.str(el, 'adresse3'),
          postnr: b.token(el, 'postnr'),
          poststed: b.str(el, 'poststed'),
          land: b.str(el, 'land'),
        });
  return dropUndefined({ digitalAdresse, postAdresse });
}

/**
 * `digitalAdresse` is abstract; `xsi:type` picks personDigitalAdresse (fnr) or
 * organisasjonDigitalAdresse (orgnr). A type whose prefix is bound to another namespace
 * does not count; without a usable type the content decides (an `fnr` or an `orgnr`).
 * An address without its number is no digital address: the recipient is postal only.
 */
function bindDigitalAdresse(b: Binder, el: XmlElement | undefined, namespace: string): DigitalAdresse | undefined {
  if (!b.structure(el)) return undefined;
  const fnr = b.token(el, 'fnr');
  const orgnr = b.token(el, 'orgnr');
  const type = el.xsiType;
  const typed = type !== undefined && (type.uri === namespace || type.uri === undefined) ? type.local : undefined;
  if (typed === 'personDigitalAdresse') return fnr === undefined ? undefined : { type: 'person', fnr };
  if (typed === 'organisasjonDigitalAdresse') return orgnr === undefined ? undefined : { type: 'organisasjon', orgnr };
  if (fnr !== undefined) return { type: 'person', fnr };
  if (orgnr !== undefined) return { type: 'organisasjon', orgnr };
  return undefined;
}

function bindPrint(b: Binder, el: XmlElement | undefined): PrintKonfigurasjon | undefined {
  if (!b.structure(el)) return undefined;
  return dropUndefined({
    tosidig: b.bool(el, 'tosidig', 'printkonfigurasjon.tosidig'),
    fargePrint: b.bool(el, 'fargePrint', 'printkonfigurasjon.fargePrint'),
    brevtype: b.oneOf(el, 'brevtype', 'printkonfigurasjon.brevtype', ['APOST', 'BPOST'] as const),
  });
}

function bindLenke(b: Binder, el: XmlElement): Lenke {
  b.structure(el);
  return dropUndefined({
    urlLenke: b.token(el, 'urlLenke') ?? '',
    urlTekst: b.str(el, 'urlTekst') ?? '',
    ledetekst: b.str(el, 'ledetekst'),
  });
}

/**
 * Element names that differ between the versions, by the field they bind: the lower-case
 * names of V4–V9 or the camelCase ones of V10/V11 (docs/interfaces.md §6).
 */
export type ElementNames = CaseMetadataNames &
  Readonly<Record<'mimetype' | 'ekskluderesFraPrint' | 'postnr' | 'poststed', string>>;

/** The element names of V4–V9 (the field names themselves). */
const LOWER_CASE_NAMES: ElementNames = {
  ...LOWER_CASE_METADATA,
  mimetype: 'mimetype',
  ekskluderesFraPrint: 'ekskluderesFraPrint',
  postnr: 'postnr',
  poststed: 'poststed',
};

/** metadataFraAvleverendeSystem, its elements named by `n`; a problem names the element as sent. */
export function bindMetadataFra(
  b: Binder,
  el: XmlElement | undefined,
  n: CaseMetadataNames = LOWER_CASE_NAMES,
): MetadataFraAvleverendeSystem | undefined {
  if (!b.structure(el)) return undefined;
  const p = 'metadataFraAvleverendeSystem';
  return dropUndefined({
    sakssekvensnummer: b.int(el, n.sakssekvensnummer, `${p}.${n.sakssekvensnummer}`),
    saksaar: b.int(el, n.saksaar, `${p}.${n.saksaar}`),
    journalaar: b.int(el, n.journalaar, `${p}.${n.journalaar}`),
    journalsekvensnummer: b.int(el, n.journalsekvensnummer, `${p}.${n.journalsekvensnummer}`),
    journalpostnummer: b.int(el, n.journalpostnummer, `${p}.${n.journalpostnummer}`),
    journalposttype: b.str(el, n.journalposttype),
    journalstatus: b.str(el, n.journalstatus),
    journaldato: b.dateTime(el, n.journaldato, `${p}.${n.journaldato}`),
    dokumentetsDato: b.dateTime(el, 'dokumentetsDato', `${p}.dokumentetsDato`),
    tittel: b.str(el, 'tittel'),
    saksbehandler: b.str(el, n.saksbehandler),
    ekstraMetadata: bindEntries(b, el),
  });
}

/** The `ekstraMetadata` entries (`key`, `value`) of `el`. */
export function bindEntries(b: Binder, el: XmlElement | undefined): { key: string; value: string }[] {
  return children(el, 'ekstraMetadata').map((e) => {
    b.structure(e);
    return { key: b.str(e, 'key') ?? '', value: b.str(e, 'value') ?? '' };
  });
}

/** metadataForImport, its elements named by `n`. */
export function bindMetadataForImport(
  b: Binder,
  el: XmlElement | undefined,
  n: CaseMetadataNames = LOWER_CASE_NAMES,
): MetadataForImport | undefined {
  if (!b.structure(el)) return undefined;
  const p = 'metadataForImport';
  return dropUndefined({
    sakssekvensnummer: b.int(el, n.sakssekvensnummer, `${p}.${n.sakssekvensnummer}`),
    saksaar: b.int(el, n.saksaar, `${p}.${n.saksaar}`),
    journalposttype: b.str(el, n.journalposttype),
    journalstatus: b.str(el, n.journalstatus),
    dokumentetsDato: b.dateTime(el, 'dokumentetsDato', `${p}.dokumentetsDato`),
    tittel: b.str(el, 'tittel'),
  });
}

/** The object without keys whose value is undefined (so stored JSON stays tidy). */
export function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
