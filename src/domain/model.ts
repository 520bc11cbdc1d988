/**
 * The forsendelse model: every field of SOAP V9 (docs/interfaces.md §5) and REST v1 (docs/interfaces.md §9),
 * in one canonical shape. The SOAP and REST adapters map their wire names onto this;
 * nothing below the HTTP layer knows which door a letter came through.
 */

/** A recipient's digital address: a person (fødselsnummer / d-nummer) or an organisation. */
export type DigitalAdresse =
  { readonly type: 'person'; readonly fnr: string } | { readonly type: 'organisasjon'; readonly orgnr: string };

/** A postal address as on an envelope (docs/interfaces.md §5 postAdresse). */
export interface PostAdresse {
  readonly navn: string;
  readonly adresse1?: string;
  readonly adresse2?: string;
  readonly adresse3?: string;
  readonly postnr?: string;
  readonly poststed?: string;
  /** Country name or code; empty / "Norge" / "NO" means a Norwegian address. */
  readonly land?: string;
}

/** A recipient (or reply-to address): digital address, postal address, or both. */
export interface Adresse {
  readonly digitalAdresse?: DigitalAdresse;
  readonly postAdresse?: PostAdresse;
}

export type Brevtype = 'APOST' | 'BPOST';
export type Signaturtype = 'AUTENTISERT_SIGNATUR' | 'AVANSERT_SIGNATUR';

/** Print options (V9 printkonfigurasjon, REST v1 utskriftsKonfigurasjon). */
export interface PrintKonfigurasjon {
  readonly tosidig: boolean;
  readonly fargePrint: boolean;
  readonly brevtype?: Brevtype;
}

/** A link rendered in the letter (V9 lenke). */
export interface Lenke {
  readonly urlLenke: string;
  readonly urlTekst: string;
  readonly ledetekst?: string;
}

/** A key/value pair of Noark extra metadata; keys unique. */
export interface MetadataEntry {
  readonly key: string;
  readonly value: string;
}

/** Noark5 metadata from the sender's archive (V9 noarkMetadataFraAvleverendeSakssystem). */
export interface MetadataFraAvleverendeSystem {
  readonly sakssekvensnummer?: number;
  readonly saksaar?: number;
  readonly journalaar?: number;
  readonly journalsekvensnummer?: number;
  readonly journalpostnummer?: number;
  readonly journalposttype?: string;
  readonly journalstatus?: string;
  /** Epoch milliseconds. */
  readonly journaldato?: number;
  /** Epoch milliseconds. */
  readonly dokumentetsDato?: number;
  readonly tittel?: string;
  readonly saksbehandler?: string;
  readonly ekstraMetadata?: readonly MetadataEntry[];
}

/**
 * Noark5 metadata for the receiver's archive (V9 noarkMetadataForImport). The ids of the
 * case folder and the registration (`mappeId` … `journalsekvensnummer`) come only from REST
 * v2/v3 (`NoarkMetadataForImport`); SvarInn hands `mappeId`, `systemId` and
 * `registreringsId` on to the receiving archive.
 */
export interface MetadataForImport {
  readonly sakssekvensnummer?: number;
  readonly saksaar?: number;
  readonly journalposttype?: string;
  readonly journalstatus?: string;
  /** Epoch milliseconds. */
  readonly dokumentetsDato?: number;
  readonly tittel?: string;
  readonly mappeId?: string;
  readonly mappeSystemId?: string;
  readonly systemId?: string;
  readonly registreringsId?: string;
  readonly journalpostnummer?: number;
  readonly journalaar?: number;
  readonly journalsekvensnummer?: number;
}

/** A document as declared by the caller, before its bytes are stored. */
export interface DokumentSpec {
  readonly filnavn: string;
  readonly mimetype: string;
  readonly dokumentType?: string;
  readonly ekskluderesFraPrint: boolean;
  readonly skalSigneres: boolean;
  readonly inneholderPersonsensitivInformasjon: boolean;
  /** 1-based page numbers printed on giro paper. */
  readonly giroarkSider: readonly number[];
  readonly ekstraMetadata: readonly MetadataEntry[];
}

/** Where a stored document's bytes are and what they are. */
export interface BlobRef {
  /** Lower-case hex SHA-256 of the bytes; also the blob store key. */
  readonly sha256: string;
  readonly size: number;
  /**
   * Present when the stored bytes are CMS EnvelopedData for the installation's key (an
   * encrypted letter's document or file, kept encrypted at rest): the plaintext's size.
   * `sha256` and `size` are the stored (encrypted) bytes'.
   */
  readonly cms?: {
    readonly plaintextSize: number;
    /** SHA-256 of the plaintext (what a receiving system gets after decrypting); absent on letters from before it. */
    readonly plaintextSha256?: string;
  };
}

/** A document after intake: its declaration plus the stored bytes (and page count for PDFs). */
export interface StoredDokument extends DokumentSpec {
  readonly blob: BlobRef;
  /** Page count when the document is a PDF, else undefined. */
  readonly sider?: number;
  /**
   * Set when intake parsed the PDF whole and found no script, additional or unsafe action
   * or XFA form in it (src/pdf/active-content.ts): the only documents of a sender a browser
   * may show inline. Unset (a letter stored before 6 December 2026, a file read by range,
   * a document with such content): served as a download.
   */
  readonly utenAktivtInnhold?: true;
}

/** Everything a caller says about a forsendelse, except the document bytes. */
export interface ForsendelseInput {
  readonly tittel: string;
  readonly mottaker?: Adresse;
  readonly avgivendeSystem?: string;
  /** REST v2/v3: who in the sending system sent it (a case officer, a service). */
  readonly avgivendeSystemAktor?: string;
  readonly eksternref?: string;
  /** REST v2/v3: the sender's free text grouping several letters together. */
  readonly korrelasjonsid?: string;
  readonly forsendelseType?: string;
  readonly konteringskode?: string;
  readonly krevNiva4Innlogging: boolean;
  readonly kryptert: boolean;
  readonly kunDigitalLevering: boolean;
  readonly taushetsbelagtPost: boolean;
  readonly printkonfigurasjon?: PrintKonfigurasjon;
  readonly lenker: readonly Lenke[];
  readonly metadataFraAvleverendeSystem?: MetadataFraAvleverendeSystem;
  readonly metadataForImport?: MetadataForImport;
  readonly svarSendesTil?: Adresse;
  readonly svarPaForsendelse?: string;
  readonly svarPaForsendelseLink: boolean;
  readonly signaturtype?: Signaturtype;
  /** Epoch milliseconds. */
  readonly signeringUtloper?: number;
  /** REST v1/V11: further digital addresses that may download the files. */
  readonly eksponertFor: readonly DigitalAdresse[];
  readonly dokumenter: readonly DokumentSpec[];
}

/** The 13 V9 statuses (docs/interfaces.md §7). */
export const FORSENDELSE_STATUSES = [
  'MOTTATT',
  'AKSEPTERT',
  'AVVIST',
  'VARSLET',
  'LEST',
  'SENDT_PRINT',
  'PRINTET',
  'MANUELT_HANDTERT',
  'SENDT_DIGITALT',
  'SENDT_SDP',
  'LEVERT_SDP',
  'KLAR_FOR_MOTTAK',
  'IKKE_LEVERT',
] as const;

/** A forsendelse status as on the wire. */
export type ForsendelseStatus = (typeof FORSENDELSE_STATUSES)[number];

/** One line of the shipment log, as the real service writes it (docs/interfaces.md §4). */
export interface HistorikkEntry {
  /** Epoch milliseconds; formatted `dd.MM.yyyy HH:mm:ss` Europe/Oslo on the wire. */
  readonly at: number;
  readonly hendelse: string;
}

/** How a forsendelse is delivered. */
export type Kanal = 'digital' | 'print' | 'svarinn' | 'ingen';

/** A print provider's receipt (stored for statistics). */
export interface PrintKvittering {
  readonly sider: number;
  readonly fargesider: number;
  readonly konvolutter: number;
  readonly ark: number;
  /** Grams. */
  readonly vekt: number;
  /** Øre. */
  readonly porto: number;
  /** Øre. */
  readonly produksjonskostnad: number;
  readonly konteringskode?: string;
  /** Epoch milliseconds when printed. */
  readonly printetAt: number;
}
