/**
 * SvarInn (Mottaksservice v1, docs/interfaces.md §11) behind its door: a receiving system
 * lists the letters routed to it and not yet acknowledged, downloads each one encrypted to
 * its certificate (CMS, §12), and acknowledges it (LEST) or reports a failed receipt
 * (permanent: the letter continues by the other channels). Another system's letter is
 * not found, exactly like an unknown id. Each step is in the letter's history.
 */
import { PassThrough, type Readable } from 'node:stream';
import yazl from 'yazl';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import { chooseKanal } from '../domain/channel-choice.js';
import { awaitsSvarInn, mayAcknowledgeSvarInn } from '../domain/delivery-rules.js';
import { BadRequestError, NotFoundError } from '../domain/errors.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import type { ForsendelseInput, ForsendelseStatus, MetadataEntry, StoredDokument } from '../domain/model.js';
import { nivaOf } from '../domain/mottakersystem-match.js';
import { withoutLoneSurrogates } from '../domain/validation/length-rules.js';
import { fromRecord } from '../domain/record.js';
import { plaintextSize } from './letter-files.js';
import type { BlobStore, ConfigStore, Mottakersystem, ReadModel } from '../storage/ports.js';

/** Encrypts a plaintext stream to a certificate as binary CMS EnvelopedData (docs/interfaces.md §12), streamed. */
export type EncryptToCertificate = (certificatePem: string, plaintext: Readable) => Readable;

/** One file of a SvarInn letter as listed (for a zip: one entry, named `filnavn`). */
export interface SvarInnFil {
  readonly filnavn: string;
  readonly mimetype: string;
  readonly sha256hash: string;
  readonly size: number;
  readonly dokumentType?: string;
  readonly ekstraMetadata: readonly MetadataEntry[];
}

/** A letter as hentNyeForsendelser lists it; the door shapes the JSON. */
export interface SvarInnForsendelse {
  readonly id: string;
  readonly tittel: string;
  /** Epoch ms when received. */
  readonly date: number;
  readonly status: ForsendelseStatus;
  readonly niva: 3 | 4;
  readonly input: ForsendelseInput;
  /** The sender as its cover page names it. */
  readonly avsender?: {
    readonly navn: string;
    readonly adresselinjer: readonly string[];
    readonly postnr: string;
    readonly poststed: string;
    readonly orgnr?: string;
  };
  readonly filmetadata: readonly SvarInnFil[];
}

/** A download: the plaintext's type and name, and the encrypted bytes as they are made. */
export interface SvarInnNedlasting {
  readonly contentType: string;
  readonly filnavn: string;
  readonly body: Readable;
}

/** What the SvarInn service is built from. */
export interface SvarInnServiceDeps {
  readonly actors: Pick<ForsendelseActors, 'execute'>;
  readonly readModel: Pick<ReadModel, 'get' | 'search'>;
  readonly blobs: Pick<BlobStore, 'stream'>;
  readonly config: Pick<ConfigStore, 'getAvsender'>;
  readonly encrypt: EncryptToCertificate;
  /** The plaintext of a stored document (encrypted-at-rest documents decrypt here); default: the blob. */
  readonly openDocument?: (state: ForsendelseState, index: number) => Promise<Readable>;
  readonly now: () => number;
  readonly onError?: (error: unknown, message: string) => void;
}

/** At most this many letters per hentNyeForsendelser (docs/interfaces.md §11). */
export const MAX_NYE_FORSENDELSER = 200;
const PAGE = MAX_NYE_FORSENDELSER;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The name of a download (a zip of the documents). */
export const ZIP_FILNAVN = 'dokumenter.zip';

/** The SvarInn application service. */
export class SvarInnService {
  constructor(private readonly deps: SvarInnServiceDeps) {}

  /** The system's letters not yet acknowledged, oldest first, at most 200. */
  async nyeForsendelser(system: Mottakersystem): Promise<SvarInnForsendelse[]> {
    // Oldest first, and only as far as the answer needs: an archive away for weeks has tens of
    // thousands waiting, and reading them all on every poll held the node for seconds (found
    // in a review). Only this system's letters are read: another system's backlog for the
    // same orgnr was read on every poll too, 5–15 s each at 40 000 (found in review).
    const found: ForsendelseState[] = [];
    for (let offset = 0; found.length < MAX_NYE_FORSENDELSER; offset += PAGE) {
      const page = await this.deps.readModel.search({
        status: ['KLAR_FOR_MOTTAK'],
        svarinnSystem: system.id,
        oldestFirst: true,
        limit: PAGE,
        offset,
      });
      for (const record of page.items) {
        const state = fromRecord(record);
        if (awaitsSvarInn(state) && state.mottakersystem === system.id) found.push(state);
      }
      if (page.items.length < PAGE) break;
    }
    return Promise.all(found.slice(0, MAX_NYE_FORSENDELSER).map((s) => this.describe(s)));
  }

  /**
   * The letter's documents as one zip, encrypted to the system's certificate; records the
   * first download in its history. A zip also for one document, as SvarUt serves it (KS's
   * SvarInn OpenAPI: "Henter ZIP med alle filene"): eFormidling's integration point unzips
   * every download and found no document in a bare PDF (docs/interfaces.md §11).
   */
  async lastNed(system: Mottakersystem, id: string): Promise<SvarInnNedlasting> {
    const state = await this.own(system, id);
    if (state.dokumenterSlettetAt !== undefined || state.dokumenter.length === 0) throw new NotFoundError();
    const plaintext = this.zipOf(state, fileNames(state.dokumenter));
    const body = this.deps.encrypt(system.sertifikat, plaintext);
    body.once('end', () => {
      this.deps.actors
        .execute(state.id, { type: 'RegistrerHentetAvMottakersystem', at: this.deps.now(), mottakersystem: system.id })
        .catch((error: unknown) => this.deps.onError?.(error, 'recording a SvarInn download failed'));
    });
    return { contentType: 'application/zip', filnavn: ZIP_FILNAVN, body };
  }

  /**
   * kvitterMottak: the letter is read (LEST) and no longer listed; a repeat is fine. Taken also
   * for a letter the system downloaded before the sender deleted its files: it did receive it.
   */
  async kvitterMottak(system: Mottakersystem, id: string): Promise<void> {
    const state = await this.own(system, id, (s) => mayAcknowledgeSvarInn(s) || s.mottakKvittertAt !== undefined);
    await this.deps.actors.execute(state.id, { type: 'KvitterMottak', at: this.deps.now(), mottakersystem: system.id });
  }

  /** mottakFeilet: logged; permanent sends the letter on by the other channels, else it stays listed. */
  async mottakFeilet(
    system: Mottakersystem,
    id: string,
    feil: { feilmelding: string; permanent: boolean },
  ): Promise<void> {
    // A permanent failure reported again (a retry after a lost answer) is taken: the domain
    // answers it with no change, as it does a repeated acknowledgement.
    const repeat = (s: ForsendelseState): boolean => feil.permanent && s.mottakFeiletPermanentAt !== undefined;
    // Also for a letter it downloaded whose files were deleted since: its report is recorded
    // and ends the letter (the domain's rule), not answered 404 (found in review).
    const downloadedThenDeleted = (s: ForsendelseState): boolean =>
      s.mottakKvittertAt === undefined && mayAcknowledgeSvarInn(s);
    const state = await this.own(system, id, (s) => awaitsSvarInn(s) || repeat(s) || downloadedThenDeleted(s));
    // The receiving system's own words, kept as one readable text: control characters (which
    // no SOAP answer could carry) and bidirectional overrides (which reverse what the admin
    // web shows) become spaces (found in a review); a lone surrogate, which is no Unicode and
    // broke the sender's history JSON for strict parsers, the replacement character; and it
    // is cut at 2 000 characters between two characters, never inside one (found in review).
    const readable = feil.feilmelding.replace(
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g,
      ' ',
    );
    const feilmelding = cutBetweenCharacters(withoutLoneSurrogates(readable).trim(), MAX_FEILMELDING);
    if (feilmelding === '') throw new BadRequestError('Ugyldig feilmelding: må ha innhold');
    const at = this.deps.now();
    let nyKanal:
      { kanal: 'digital' | 'print' | 'ingen'; grunn: string; varsling?: { epost?: string; sms?: string } } | undefined;
    // Sent on by another channel only while its files are there.
    if (feil.permanent && !repeat(state) && awaitsSvarInn(state)) {
      const avsender = await this.deps.config.getAvsender(state.avsender);
      const valg = chooseKanal({
        input: state.input,
        organisasjonEpost: avsender?.varsling.organisasjonEpost,
        mottakFeilet: true,
      });
      if (valg.kanal === 'svarinn') throw new Error('chooseKanal without a receiving system chose SvarInn');
      nyKanal = {
        kanal: valg.kanal,
        grunn: valg.reason,
        ...(valg.varsling === undefined ? {} : { varsling: valg.varsling }),
      };
    }
    await this.deps.actors.execute(state.id, {
      type: 'MeldMottakFeilet',
      at,
      mottakersystem: system.id,
      feilmelding,
      permanent: feil.permanent,
      ...(nyKanal === undefined ? {} : { nyKanal }),
    });
  }

  /** The system's own letter while `taken` (by default: while it waits in SvarInn), else NotFoundError. */
  private async own(
    system: Mottakersystem,
    id: string,
    taken: (state: ForsendelseState) => boolean = awaitsSvarInn,
  ): Promise<ForsendelseState> {
    const lower = id.toLowerCase();
    const record = UUID.test(lower) ? await this.deps.readModel.get(lower) : undefined;
    const state = record === undefined ? undefined : fromRecord(record);
    if (state === undefined || state.mottakersystem !== system.id || !taken(state)) throw new NotFoundError();
    return state;
  }

  private async describe(state: ForsendelseState): Promise<SvarInnForsendelse> {
    const avsender = await this.deps.config.getAvsender(state.avsender);
    const names = fileNames(state.dokumenter);
    return {
      id: state.id,
      tittel: state.input.tittel,
      date: state.mottattAt,
      status: state.status,
      niva: nivaOf(state.input),
      input: state.input,
      ...(avsender === undefined
        ? {}
        : {
            avsender: {
              navn: avsender.forside.navn || avsender.navn,
              adresselinjer: avsender.forside.adresselinjer,
              postnr: avsender.forside.postnr,
              poststed: avsender.forside.poststed,
              ...(avsender.orgnr === undefined ? {} : { orgnr: avsender.orgnr }),
            },
          }),
      filmetadata: state.dokumenter.map((d, i) => ({
        filnavn: names[i] as string,
        mimetype: d.mimetype,
        // The hash of what the receiver gets after decrypting: an encrypted letter's document is
        // stored as the sender's envelope, so its plaintext hash is kept apart (letters taken
        // before it was kept give the envelope's).
        sha256hash: d.blob.cms?.plaintextSha256 ?? d.blob.sha256,
        size: plaintextSize(d.blob),
        ...(d.dokumentType === undefined ? {} : { dokumentType: d.dokumentType }),
        ekstraMetadata: d.ekstraMetadata,
      })),
    };
  }

  private openDocument(state: ForsendelseState, index: number): Promise<Readable> {
    if (this.deps.openDocument !== undefined) return this.deps.openDocument(state, index);
    return this.deps.blobs.stream((state.dokumenter[index] as StoredDokument).blob.sha256);
  }

  /**
   * The documents as a zip, each opened only when its turn comes. The entries are deflated,
   * at the fastest level (PDFs are compressed already): an entry streamed without its size
   * and CRC known up front has them after its data, and java.util.zip's ZipInputStream, which
   * KS's svarut-sak-mottak and eFormidling's integration point read the download with, takes
   * that only for a deflated entry ("only DEFLATED entries can have EXT descriptor").
   */
  private zipOf(state: ForsendelseState, names: readonly string[]): Readable {
    const zip = new yazl.ZipFile();
    const out = new PassThrough();
    zip.on('error', (error: Error) => out.destroy(error));
    // A download cut off, or a HEAD, closes `out` before the zip is read to its end: the
    // document being read then stays open (yazl waits for it for ever) until a collection
    // closes its file (found in review: descriptors piled up, and Node warns that a later
    // version will throw). Each document opened is closed with `out`.
    const opened = new Set<Readable>();
    out.once('close', () => {
      for (const stream of opened) stream.destroy();
      zip.outputStream.unpipe(out);
    });
    state.dokumenter.forEach((_, i) => {
      zip.addReadStreamLazy(names[i] as string, { compressionLevel: 1, mtime: new Date(state.mottattAt) }, (cb) => {
        this.openDocument(state, i).then(
          (stream) => {
            if (out.destroyed) {
              stream.destroy();
              return;
            }
            opened.add(stream);
            stream.once('close', () => opened.delete(stream));
            stream.once('error', (error) => out.destroy(error));
            cb(null, stream);
          },
          (error: unknown) => cb(error as Error, undefined as unknown as Readable),
        );
      });
    });
    zip.end();
    zip.outputStream.once('error', (error) => out.destroy(error));
    return zip.outputStream.pipe(out);
  }
}

/** Windows' device names, which name no file whatever extension follows ("CON.pdf", "lpt1.tar.gz"). */
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(?:\.|$)/i;

/**
 * The names of the letter's files: the sender's filenames, made safe as zip entry names (no
 * folders), as files on the receiver's Windows machines, and unique ("brev.pdf", "brev
 * (2).pdf"), so the receiver finds each entry's metadata by its name (docs/interfaces.md §11).
 */
export function fileNames(dokumenter: readonly Pick<StoredDokument, 'filnavn'>[]): string[] {
  const used = new Set<string>();
  return dokumenter.map((d, i) => {
    // Blanks around the name and leading dots go (a name of dots and blanks, " ..", would
    // be the parent folder in a receiver's file system and is refused by the zip writer), and
    // trailing dots, which Windows drops: "vedtak.pdf." overwrote "vedtak.pdf" when the zip
    // was unpacked there (found in review). A device name gets a "_" before it.
    const safe = d.filnavn
      .replace(/[\\/\u0000-\u001f]/g, '_')
      .replace(/^[\s.]+/, '')
      .replace(/[\s.]+$/, '');
    const base = (WINDOWS_DEVICE.test(safe) ? `_${safe}` : safe) || `dokument-${i + 1}`;
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) {
      const dot = base.lastIndexOf('.');
      name = dot > 0 ? `${base.slice(0, dot)} (${n})${base.slice(dot)}` : `${base} (${n})`;
    }
    used.add(name.toLowerCase());
    return name;
  });
}

/** Longest failure text a receiving system's mottakFeilet keeps (UTF-16 units). */
const MAX_FEILMELDING = 2000;

/** `text` cut to at most `max` UTF-16 units, one fewer where the cut would split a surrogate pair. */
function cutBetweenCharacters(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
