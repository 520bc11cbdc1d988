/**
 * What the HTTP doors (REST v1, SOAP V9, the admin web) may ask of Budbringer. One
 * implementation (`src/app/forsendelse-service-impl.ts`) sits on the actors and the read
 * model; the doors only translate wire formats to and from these calls.
 */
import type { BlobRef, ForsendelseInput, ForsendelseStatus, HistorikkEntry } from '../domain/model.js';

/** Status of one forsendelse (SOAP statusResult, REST v1 forsendelseStatus). */
export interface StatusView {
  readonly id: string;
  readonly status: ForsendelseStatus;
  /** Epoch milliseconds. */
  readonly sisteStatusEndring: number;
}

/** One document's metadata (REST v1 dokumentMetadata, V10 DokumentMetadata). */
export interface DokumentMetadataView {
  readonly filnavn: string;
  readonly mimetype: string;
  readonly dokumentType?: string;
  readonly sizeInBytes: number;
  readonly sha256hash: string;
  readonly kanSigneres: boolean;
  readonly inneholderPersonsensitivInformasjon: boolean;
  readonly ekstraMetadata: readonly { key: string; value: string }[];
  /** Absolute URL where the avsender may download the original (until purged). */
  readonly nedlasningsUrl?: string;
  /** Why there is no download: the files were deleted, or the letter was sent encrypted (only its recipient opens it). */
  readonly ikkeTilgjengelig?: 'slettet' | 'kryptert';
}

/** A receiver system (SvarInn) registered for an organisation. */
export interface MottakerSystemView {
  readonly orgnr: string;
  readonly forsendelseType?: string;
  readonly mottakersystem: string;
  readonly mottakerId: string;
  readonly niva: number;
}

/** One entry of a signing order's log. */
export interface SigneringsLoggEntry {
  readonly tidspunkt: string;
  readonly type: string;
  readonly hendelse: string;
}

/** "Read by an external system" (SOAP setForsendelseLestAvEksterntSystem, REST settLest). */
export interface LestAvEksterntSystem {
  readonly fnr: string;
  readonly systemnavn: string;
  /** Epoch milliseconds; now when absent. */
  readonly at?: number;
}

/** Options of a send. */
export interface SendOptions {
  /** Caller-chosen id (sendForsendelseMedId); must be an unused lower-case UUID. */
  readonly id?: string;
  /**
   * The documents' bytes where the door still holds them (`documentBytes[i]` for
   * `documents[i]`; small uploads), so the PDF check need not read them back from the store.
   */
  readonly documentBytes?: readonly (Uint8Array | undefined)[];
  /** The door's konteringskode pattern allows `_` (REST v2/v3's OpenAPI; SOAP and REST v1 do not). */
  readonly konteringskodeUnderscore?: boolean;
  /**
   * Refuse a letter to a person the contact register cannot reach digitally, at intake
   * (V11 `leveringsmetode` KUN_DIGITAL_UTEN_LEVERANSEGARANTI; src/app/digital-reach.ts).
   */
  readonly kreverDigitalMottaker?: boolean;
}

/** The application service behind every door. All reads are scoped to one avsender. */
export interface ForsendelseService {
  /**
   * Validates `input` and the stored documents (`documents[i]` holds the bytes of
   * `input.dokumenter[i]`), claims the documents for the new forsendelse in the blob
   * store (so they outlive the door's intake lease), journals the forsendelse durably, and
   * resolves with its id. Throws ValidationError (HTTP 400 / SOAP fault) naming every broken rule.
   */
  send(
    avsender: string,
    input: ForsendelseInput,
    documents: readonly BlobRef[],
    options?: SendOptions,
  ): Promise<string>;
  /** A fresh id for a later send with that id (startNyForsendelse). */
  newId(): string;
  /** Throws NotFoundError for unknown ids and ids of other avsendere alike. */
  status(avsender: string, id: string): Promise<StatusView>;
  /** Statuses of the ids found; unknown ids are left out. */
  statuses(avsender: string, ids: readonly string[]): Promise<StatusView[]>;
  historikk(avsender: string, id: string): Promise<HistorikkEntry[]>;
  dokumentMetadata(avsender: string, id: string): Promise<DokumentMetadataView[]>;
  idsByEksternref(avsender: string, eksternref: string): Promise<string[]>;
  markerLestEksternt(avsender: string, id: string, lest: LestAvEksterntSystem): Promise<void>;
  forsendelseTyper(): Promise<string[]>;
  mottakersystemer(filter: { orgnr?: string; forsendelseType?: string; niva?: number }): Promise<MottakerSystemView[]>;
  signeringshistorikk(avsender: string, id: string): Promise<SigneringsLoggEntry[]>;
  /** Deletes the original documents of the avsender's forsendelser (REST v1 slettFiler). */
  slettFiler(avsender: string, ids: readonly string[]): Promise<void>;
  /** The avsender whose service password this is, or undefined. Constant-time compare. */
  authenticate(navn: string, passord: string): Promise<string | undefined>;
}
