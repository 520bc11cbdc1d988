/**
 * Binds a V10/V11 `<forsendelse>` (camelCase names, `ForsendelsesId`/`OrganisasjonsNummer`
 * wrappers, `utskriftsKonfigurasjon`; docs/interfaces.md §6a) to the canonical ForsendelseInput,
 * as leniently as the classic binding: any order, unknown elements ignored, missing booleans
 * false. V11's `eksponertFor` is a list of digital addresses typed like the recipient's.
 */
import type {
  Adresse,
  DigitalAdresse,
  DokumentSpec,
  ForsendelseInput,
  MetadataForImport,
  MetadataFraAvleverendeSystem,
  PostAdresse,
  PrintKonfigurasjon,
} from '../../domain/model.js';
import { Binder } from './binder.js';
import { dropUndefined, type BoundForsendelse } from './forsendelse-binding.js';
import { child, children, type XmlElement } from './xml-element.js';

/** Binds `<forsendelse>`; `eksponertFor` only where the version has it (V11). */
export function bindCamelForsendelse(
  el: XmlElement | undefined,
  version: { readonly namespace: string; readonly eksponertFor: boolean },
): BoundForsendelse {
  const b = new Binder();
  const ns = version.namespace;
  const dokumentElements = children(el, 'dokumenter');
  const eksponertFor: DigitalAdresse[] = [];
  if (version.eksponertFor) {
    for (const e of children(el, 'eksponertFor')) {
      const a = bindDigitalAdresse(b, e, ns);
      if (a !== undefined) eksponertFor.push(a);
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
    kunDigitalLevering: b.bool(el, 'kunDigitalLevering', 'kunDigitalLevering'),
    taushetsbelagtPost: false,
    printkonfigurasjon: bindUtskrift(b, child(el, 'utskriftsKonfigurasjon')),
    lenker: children(el, 'lenker').map((l) =>
      dropUndefined({
        urlLenke: b.token(l, 'urlLenke') ?? '',
        urlTekst: b.str(l, 'urlTekst') ?? '',
        ledetekst: b.str(l, 'ledeTekst'),
      }),
    ),
    metadataFraAvleverendeSystem: bindMetadataFra(b, child(el, 'metadataFraAvleverendeSystem')),
    metadataForImport: bindMetadataForImport(b, child(el, 'metadataForImport')),
    svarSendesTil: bindAdresse(b, child(el, 'svarSendesTil'), ns),
    svarPaForsendelse: wrappedId(b, child(el, 'svarPaForsendelse')),
    svarPaForsendelseLink: b.bool(el, 'svarPaForsendelseLink', 'svarPaForsendelseLink'),
    signaturtype: b.oneOf(el, 'signaturType', 'signaturType', ['AUTENTISERT_SIGNATUR', 'AVANSERT_SIGNATUR'] as const),
    signeringUtloper: b.dateTime(el, 'signeringUtloper', 'signeringUtloper'),
    eksponertFor,
    dokumenter: dokumentElements.map((d, i) => bindDokument(b, d, `dokumenter[${i}]`)),
  };
  b.check();
  return {
    input: dropUndefined(input),
    dataSlots: dokumentElements.map((d) => child(d, 'data')?.dataSlot),
    innerId: undefined,
  };
}

/** The text of a `ForsendelsesId`/`OrganisasjonsNummer`: its `id` child, or its own text. */
export function wrappedId(b: Binder, el: XmlElement | undefined): string | undefined {
  if (el === undefined || el.nil) return undefined;
  return b.token(el, 'id') ?? (el.text.trim() === '' ? undefined : el.text.trim());
}

function bindDokument(b: Binder, el: XmlElement, path: string): DokumentSpec {
  const giroarkSider: number[] = [];
  for (const g of children(el, 'giroarkSider')) {
    const n = b.intValue(g.text, `${path}.giroarkSider`);
    if (n !== undefined) giroarkSider.push(n);
  }
  return dropUndefined({
    filnavn: b.str(el, 'filnavn') ?? '',
    mimetype: b.token(el, 'mimeType') ?? '',
    dokumentType: b.str(el, 'dokumentType'),
    ekskluderesFraPrint: b.bool(el, 'ekskluderesFraUtskrift', `${path}.ekskluderesFraUtskrift`),
    skalSigneres: b.bool(el, 'skalSigneres', `${path}.skalSigneres`),
    inneholderPersonsensitivInformasjon: false,
    giroarkSider,
    ekstraMetadata: [],
  });
}

function bindAdresse(b: Binder, el: XmlElement | undefined, ns: string): Adresse | undefined {
  if (el === undefined || el.nil) return undefined;
  const post = child(el, 'postAdresse');
  const postAdresse: PostAdresse | undefined =
    post === undefined || post.nil
      ? undefined
      : dropUndefined({
          navn: b.str(post, 'navn') ?? '',
          adresse1: b.str(post, 'adresse1'),
          adresse2: b.str(post, 'adresse2'),
          adresse3: b.str(post, 'adresse3'),
          postnr: b.token(post, 'postNummer'),
          poststed: b.str(post, 'postSted'),
          land: b.str(post, 'land'),
        });
  return dropUndefined({ digitalAdresse: bindDigitalAdresse(b, child(el, 'digitalAdresse'), ns), postAdresse });
}

/** personDigitalAdresse (`fodselsNummer`) or organisasjonDigitalAdresse (`organisasjonsNummer{id}`), by xsi:type, else by content. */
function bindDigitalAdresse(b: Binder, el: XmlElement | undefined, ns: string): DigitalAdresse | undefined {
  if (el === undefined || el.nil) return undefined;
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
  if (el === undefined || el.nil) return undefined;
  return {
    tosidig: b.bool(el, 'tosidig', 'utskriftsKonfigurasjon.tosidig'),
    fargePrint: b.bool(el, 'utskriftMedFarger', 'utskriftsKonfigurasjon.utskriftMedFarger'),
  };
}

function bindMetadataFra(b: Binder, el: XmlElement | undefined): MetadataFraAvleverendeSystem | undefined {
  if (el === undefined || el.nil) return undefined;
  const p = 'metadataFraAvleverendeSystem';
  return dropUndefined({
    sakssekvensnummer: b.int(el, 'saksSekvensNummer', `${p}.saksSekvensNummer`),
    saksaar: b.int(el, 'saksAar', `${p}.saksAar`),
    journalaar: b.int(el, 'journalAar', `${p}.journalAar`),
    journalsekvensnummer: b.int(el, 'journalSekvensNummer', `${p}.journalSekvensNummer`),
    journalpostnummer: b.int(el, 'journalPostNummer', `${p}.journalPostNummer`),
    journalposttype: b.str(el, 'journalPostType'),
    journalstatus: b.str(el, 'journalStatus'),
    journaldato: b.dateTime(el, 'journalDato', `${p}.journalDato`),
    dokumentetsDato: b.dateTime(el, 'dokumentetsDato', `${p}.dokumentetsDato`),
    tittel: b.str(el, 'tittel'),
    saksbehandler: b.str(el, 'saksBehandler'),
    ekstraMetadata: children(el, 'ekstraMetadata').map((e) => ({
      key: b.str(e, 'key') ?? '',
      value: b.str(e, 'value') ?? '',
    })),
  });
}

function bindMetadataForImport(b: Binder, el: XmlElement | undefined): MetadataForImport | undefined {
  if (el === undefined || el.nil) return undefined;
  const p = 'metadataForImport';
  return dropUndefined({
    sakssekvensnummer: b.int(el, 'saksSekvensNummer', `${p}.saksSekvensNummer`),
    saksaar: b.int(el, 'saksAar', `${p}.saksAar`),
    journalposttype: b.str(el, 'journalPostType'),
    journalstatus: b.str(el, 'journalStatus'),
    dokumentetsDato: b.dateTime(el, 'dokumentetsDato', `${p}.dokumentetsDato`),
    tittel: b.str(el, 'tittel'),
  });
}
