/**
 * The SvarInn forsendelse JSON (docs/interfaces.md §11, from KS's Mottaksservice OpenAPI
 * spec and examples, and what ks-no/svarut-sak-mottak and Digdir's efm-integrasjonspunkt
 * read): every field present, null for an absent value, dates as epoch milliseconds, the
 * status as its Norwegian label, `niva` as a string, lower-case metadata names.
 */
import type { SvarInnForsendelse } from '../../app/svarinn-service.js';
import type { Adresse, ForsendelseStatus } from '../../domain/model.js';

/** The status labels SvarInn shows (docs/interfaces.md §7). */
export const STATUS_LABELS: Readonly<Record<ForsendelseStatus, string>> = {
  MOTTATT: 'Mottatt',
  AKSEPTERT: 'Akseptert',
  AVVIST: 'Avvist',
  VARSLET: 'Varslet',
  LEST: 'Lest',
  SENDT_PRINT: 'Sendt print',
  PRINTET: 'Printet',
  MANUELT_HANDTERT: 'Manuelt håndtert',
  SENDT_DIGITALT: 'Sendt digitalt',
  SENDT_SDP: 'Sendt SDP',
  LEVERT_SDP: 'Levert SDP',
  KLAR_FOR_MOTTAK: 'Klar for mottak',
  IKKE_LEVERT: 'Ikke levert',
};

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** An address block: `mottaker` (navn required) and `svarSendesTil` alike. */
function adresseJson(adresse: Adresse | undefined, navnFallback: string): { [key: string]: JsonValue } {
  const post = adresse?.postAdresse;
  const digital = adresse?.digitalAdresse;
  return {
    navn: post?.navn ?? navnFallback,
    adresse1: post?.adresse1 ?? null,
    adresse2: post?.adresse2 ?? null,
    adresse3: post?.adresse3 ?? null,
    postnr: post?.postnr ?? null,
    poststed: post?.poststed ?? null,
    land: post?.land ?? null,
    orgnr: digital?.type === 'organisasjon' ? digital.orgnr : null,
    fnr: digital?.type === 'person' ? digital.fnr : null,
  };
}

/**
 * Where a reply goes when the sender named no svarSendesTil: the sender, as its cover page
 * names it (KS's field tables: svarSendesTil "overrides the sender's cover-page address";
 * docs/interfaces.md §11). Receivers read the block unguarded (eFormidling's integration
 * point builds its reply address from it), so it is filled rather than null.
 */
function senderAsReplyTo(avsender: NonNullable<SvarInnForsendelse['avsender']>): { [key: string]: JsonValue } {
  return {
    navn: avsender.navn,
    adresse1: avsender.adresselinjer[0] ?? null,
    adresse2: avsender.adresselinjer[1] ?? null,
    adresse3: avsender.adresselinjer[2] ?? null,
    postnr: avsender.postnr || null,
    poststed: avsender.poststed || null,
    land: null,
    orgnr: avsender.orgnr ?? null,
    fnr: null,
  };
}

/** One letter as hentNyeForsendelser lists it; `downloadUrl` is absolute. */
export function svarInnForsendelseJson(f: SvarInnForsendelse, downloadUrl: string): { [key: string]: JsonValue } {
  const input = f.input;
  const fra = input.metadataFraAvleverendeSystem;
  const imp = input.metadataForImport;
  const mottakerOrgnr =
    input.mottaker?.digitalAdresse?.type === 'organisasjon' ? input.mottaker.digitalAdresse.orgnr : '';
  return {
    id: f.id,
    tittel: f.tittel,
    date: f.date,
    status: STATUS_LABELS[f.status],
    niva: String(f.niva),
    downloadUrl,
    avsender:
      f.avsender === undefined
        ? null
        : {
            navn: f.avsender.navn,
            adresselinje1: f.avsender.adresselinjer[0] ?? null,
            adresselinje2: f.avsender.adresselinjer[1] ?? null,
            adresselinje3: f.avsender.adresselinjer[2] ?? null,
            postnr: f.avsender.postnr || null,
            poststed: f.avsender.poststed || null,
          },
    mottaker: adresseJson(input.mottaker, mottakerOrgnr),
    svarSendesTil:
      input.svarSendesTil !== undefined
        ? adresseJson(input.svarSendesTil, '')
        : f.avsender === undefined
          ? null
          : senderAsReplyTo(f.avsender),
    metadataFraAvleverendeSystem: {
      sakssekvensnummer: javaInt(fra?.sakssekvensnummer),
      saksaar: javaInt(fra?.saksaar),
      journalaar: javaInt(fra?.journalaar),
      journalsekvensnummer: javaInt(fra?.journalsekvensnummer),
      journalpostnummer: javaInt(fra?.journalpostnummer),
      journalposttype: fra?.journalposttype ?? null,
      journalstatus: fra?.journalstatus ?? null,
      journaldato: javaLong(fra?.journaldato),
      dokumentetsDato: javaLong(fra?.dokumentetsDato),
      tittel: fra?.tittel ?? null,
      saksBehandler: fra?.saksbehandler ?? null,
      ekstraMetadata: (fra?.ekstraMetadata ?? []).map((e) => ({ key: e.key, value: e.value })),
    },
    metadataForImport: {
      sakssekvensnummer: javaInt(imp?.sakssekvensnummer),
      saksaar: javaInt(imp?.saksaar),
      journalposttype: imp?.journalposttype ?? null,
      journalstatus: imp?.journalstatus ?? null,
      dokumentetsDato: javaLong(imp?.dokumentetsDato),
      tittel: imp?.tittel ?? null,
      mappeId: imp?.mappeId ?? null,
      systemId: imp?.systemId ?? null,
      registreringsId: imp?.registreringsId ?? null,
    },
    filmetadata: f.filmetadata.map((d) => ({
      filnavn: d.filnavn,
      mimetype: d.mimetype,
      sha256hash: d.sha256hash,
      size: d.size,
      dokumentType: d.dokumentType ?? null,
      ekstraMetadata: d.ekstraMetadata.map((e) => ({ key: e.key, value: e.value })),
    })),
    svarPaForsendelse: input.svarPaForsendelse ?? null,
    forsendelseType: input.forsendelseType ?? null,
    eksternRef: input.eksternref ?? null,
    lenker: input.lenker.map((l) => ({ urlLenke: l.urlLenke, urlTekst: l.urlTekst, ledetekst: l.ledetekst ?? null })),
    avgivendeSystem: input.avgivendeSystem ?? null,
    taushetsbelagtPost: input.taushetsbelagtPost,
    kryptert: input.kryptert,
    krevNiva4Innlogging: input.krevNiva4Innlogging,
  };
}

/**
 * A Noark number as the receivers read it, into a Java `int` (KS's svarut-sak-mottak with
 * Gson, eFormidling's integration point with Jackson), each reading the whole list at once:
 * 0, the default of an absent number, for one outside int32. Intake refuses those since
 * 6 December 2026 (docs/interfaces.md §8); a letter taken before then must not make every
 * letter of its receiving system unreadable.
 */
function javaInt(n: number | undefined): number {
  return n !== undefined && Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1 ? n : 0;
}

/** An epoch-ms date as the receivers parse it (a Java long): whole milliseconds, as REST v1 has taken only those since 6 December 2026. */
function javaLong(ms: number | undefined): number | null {
  return ms === undefined || !Number.isFinite(ms) ? null : Math.trunc(ms);
}
