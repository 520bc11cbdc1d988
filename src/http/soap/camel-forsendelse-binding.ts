/**
 * Binds a V10/V11 `<forsendelse>` (camelCase names, `ForsendelsesId`/`OrganisasjonsNummer`
 * wrappers, `utskriftsKonfigurasjon`; docs/interfaces.md §6a) to the canonical ForsendelseInput,
 * as leniently as the classic binding: any order, unknown elements ignored, missing booleans
 * false. V11's `eksponertFor` is a list of digital addresses typed like the recipient's.
 */
import { LEVERINGSMETODER, leveringsmetodeRules } from '../../domain/leveringsmetode.js';
import type { Adresse, DigitalAdresse, ForsendelseInput, PrintKonfigurasjon } from '../../domain/model.js';
import { EKSPONERT_UTEN_NUMMER } from '../../domain/validation/problem.js';
import { CAMEL_CASE_METADATA } from '../case-metadata-names.js';
import { Binder, quote } from './binder.js';
import {
  bindDokument,
  bindEntries,
  bindMetadataForImport,
  bindPostAdresse,
  bindMetadataFra,
  dropUndefined,
  type BoundForsendelse,
  type ElementNames,
} from './forsendelse-binding.js';
import { child, children, elementPath, type XmlElement } from './xml-element.js';

/**
 * V11's `leveringsmetode` as kunDigitalLevering, and whether the person must be reachable at
 * intake (KUN_DIGITAL_UTEN_LEVERANSEGARANTI). Without it, a `kunDigitalLevering` (V10's field,
 * and V11's before May 2019) is read, and without either the letter is standard, as a missing
 * boolean is false everywhere in this binding (KS calls the field required).
 */
function bindLeveringsmetode(b: Binder, el: XmlElement | undefined): { kunDigital: boolean; kreverMottaker: boolean } {
  const metode = b.oneOf(el, 'leveringsmetode', 'leveringsmetode', LEVERINGSMETODER);
  if (metode === undefined)
    return { kunDigital: b.bool(el, 'kunDigitalLevering', 'kunDigitalLevering'), kreverMottaker: false };
  const rules = leveringsmetodeRules(metode);
  return { kunDigital: rules.kunDigital, kreverMottaker: rules.kreverDigitalMottaker };
}

/**
 * Binds `<forsendelse>`. V11 adds `eksponertFor`, `leveringsmetode` in place of
 * `kunDigitalLevering`, and each document's `ekstraMetadata` and
 * `inneholderPersonsensitivInformasjon` (docs/interfaces.md §6a).
 */
export function bindCamelForsendelse(
  el: XmlElement | undefined,
  version: { readonly namespace: string; readonly v11: boolean },
): BoundForsendelse {
  const b = new Binder();
  const ns = version.namespace;
  const dokumentElements = children(el, 'dokumenter');
  const levering = version.v11
    ? bindLeveringsmetode(b, el)
    : { kunDigital: b.bool(el, 'kunDigitalLevering', 'kunDigitalLevering'), kreverMottaker: false };
  const eksponertFor: DigitalAdresse[] = [];
  if (version.v11) {
    for (const e of children(el, 'eksponertFor')) {
      if (e.nil) continue;
      const a = bindDigitalAdresse(b, e, ns);
      if (a === undefined) b.problem(elementPath(e), 'Ugyldig verdi', EKSPONERT_UTEN_NUMMER);
      else eksponertFor.push(a);
    }
  }
  const input: ForsendelseInput = {
    tittel: b.str(el, 'tittel') ?? '',
    mottaker: bindAdresse(b, child(el, 'mottaker'), ns),
    avgivendeSystem: b.str(el, 'avgivendeSystem'),
    eksternref: b.str(el, 'eksternReferanse'),
    forsendelseType: b.str(el, 'forsendelsesType'),
    konteringskode: b.str(el, 'konteringsKode'),
    krevNiva4Innlogging: b.bool(el, 'krevNiva4Innlogging', 'krevNiva4Innlogging'),
    kryptert: b.bool(el, 'kryptert', 'kryptert'),
    kunDigitalLevering: levering.kunDigital,
    taushetsbelagtPost: false,
    printkonfigurasjon: bindUtskrift(b, child(el, 'utskriftsKonfigurasjon')),
    lenker: children(el, 'lenker').map((l) => {
      b.structure(l);
      return dropUndefined({
        urlLenke: b.token(l, 'urlLenke') ?? '',
        urlTekst: b.str(l, 'urlTekst') ?? '',
        ledetekst: b.str(l, 'ledeTekst'),
      });
    }),
    metadataFraAvleverendeSystem: bindMetadataFra(b, child(el, 'metadataFraAvleverendeSystem'), CAMEL_CASE_NAMES),
    metadataForImport: bindMetadataForImport(b, child(el, 'metadataForImport'), CAMEL_CASE_NAMES),
    svarSendesTil: bindAdresse(b, child(el, 'svarSendesTil'), ns),
    svarPaForsendelse: wrappedId(b, child(el, 'svarPaForsendelse')),
    svarPaForsendelseLink: b.bool(el, 'svarPaForsendelseLink', 'svarPaForsendelseLink'),
    signaturtype: b.oneOf(el, 'signaturType', 'signaturType', ['AUTENTISERT_SIGNATUR', 'AVANSERT_SIGNATUR'] as const),
    signeringUtloper: b.dateTime(el, 'signeringUtloper', 'signeringUtloper'),
    eksponertFor,
    dokumenter: dokumentElements.map((d, i) => {
      const path = `dokumenter[${i}]`;
      const dokument = bindDokument(b, d, path, CAMEL_CASE_NAMES);
      if (!version.v11) return dokument;
      return {
        ...dokument,
        ekstraMetadata: bindEntries(b, d),
        inneholderPersonsensitivInformasjon: b.bool(
          d,
          'inneholderPersonsensitivInformasjon',
          `${path}.inneholderPersonsensitivInformasjon`,
        ),
      };
    }),
  };
  b.check();
  return {
    input: dropUndefined(input),
    dataSlots: dokumentElements.map((d) => child(d, 'data')?.dataSlot),
    innerId: undefined,
    ...(levering.kreverMottaker ? { kreverDigitalMottaker: true } : {}),
  };
}

/** The text of a `ForsendelsesId`/`OrganisasjonsNummer`: its `id` child, or its own text. */
export function wrappedId(b: Binder, el: XmlElement | undefined): string | undefined {
  if (el === undefined || el.nil) return undefined;
  const inner = b.token(el, 'id');
  const text = el.text.trim();
  // Both: which one was meant cannot be told (found in review: the <id> won, and a letter went
  // to another organisation than the text named).
  if (inner !== undefined && text !== '')
    b.problem(elementPath(el), 'Ugyldig verdi', `har både tekst og <id> (fant ${quote(text)}); send verdien i <id>`);
  return inner ?? (text === '' ? undefined : text);
}

function bindAdresse(b: Binder, el: XmlElement | undefined, ns: string): Adresse | undefined {
  if (!b.structure(el)) return undefined;
  const postAdresse = bindPostAdresse(b, child(el, 'postAdresse'), CAMEL_CASE_NAMES);
  return dropUndefined({ digitalAdresse: bindDigitalAdresse(b, child(el, 'digitalAdresse'), ns), postAdresse });
}

/** personDigitalAdresse (`fodselsNummer`) or organisasjonDigitalAdresse (`organisasjonsNummer{id}`), by xsi:type, else by content. */
function bindDigitalAdresse(b: Binder, el: XmlElement | undefined, ns: string): DigitalAdresse | undefined {
  if (!b.structure(el)) return undefined;
  const fnr = b.token(el, 'fodselsNummer');
  const orgnr = wrappedId(b, child(el, 'organisasjonsNummer'));
  const type = el.xsiType;
  const typed = type !== undefined && (type.uri === ns || type.uri === undefined) ? type.local : undefined;
  if (typed === 'personDigitalAdresse') return fnr === undefined ? undefined : { type: 'person', fnr };
  if (typed === 'organisasjonDigitalAdresse') return orgnr === undefined ? undefined : { type: 'organisasjon', orgnr };
  if (fnr !== undefined) return { type: 'person', fnr };
  if (orgnr !== undefined) return { type: 'organisasjon', orgnr };
  return undefined;
}

function bindUtskrift(b: Binder, el: XmlElement | undefined): PrintKonfigurasjon | undefined {
  if (!b.structure(el)) return undefined;
  return {
    tosidig: b.bool(el, 'tosidig', 'utskriftsKonfigurasjon.tosidig'),
    fargePrint: b.bool(el, 'utskriftMedFarger', 'utskriftsKonfigurasjon.utskriftMedFarger'),
  };
}

/** The camelCase element names of V10/V11. */
const CAMEL_CASE_NAMES: ElementNames = {
  ...CAMEL_CASE_METADATA,
  mimetype: 'mimeType',
  ekskluderesFraPrint: 'ekskluderesFraUtskrift',
  postnr: 'postNummer',
  poststed: 'postSted',
};
