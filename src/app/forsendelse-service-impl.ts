/**
 * The application service behind every door: validation, durable intake through the
 * forsendelse actor, and reads from the read model, each scoped to the avsender asking.
 */
import { randomUUID } from 'node:crypto';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import { NotFoundError, ValidationError, type FieldProblem } from '../domain/errors.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import type {
  BlobRef,
  DokumentSpec,
  ForsendelseInput,
  HistorikkEntry,
  PostAdresse,
  StoredDokument,
} from '../domain/model.js';
import { fromRecord } from '../domain/record.js';
import { isPdfMimetype, validateDokumentBytes, validateForsendelse } from '../domain/validation/index.js';
import type { BlobStore, ConfigStore, ReadModel } from '../storage/ports.js';
import { claimForNewOwner } from '../storage/blob-custody.js';
import type {
  DokumentMetadataView,
  ForsendelseService,
  LestAvEksterntSystem,
  MottakerSystemView,
  SendOptions,
  SigneringsLoggEntry,
  StatusView,
} from './forsendelse-service.js';
import { verifyPassword, VerifiedCredentialCache } from './passwords.js';

/**
 * Checks one stored document's content (PDF parse); returns its page count or throws
 * ValidationError. `bytes`, when given, are the blob's bytes, already in memory.
 */
export type DocumentInspector = (
  blob: BlobRef,
  spec: DokumentSpec,
  index: number,
  bytes?: Uint8Array,
) => Promise<{ sider?: number }>;

/** What the service is built from. */
export interface ForsendelseServiceDeps {
  readonly actors: ForsendelseActors;
  readonly readModel: ReadModel;
  readonly config: ConfigStore;
  /** References: a forsendelse's documents are claimed before its id is given out. */
  readonly blobs: Pick<BlobStore, 'claim' | 'release'>;
  readonly inspectDocument: DocumentInspector;
  readonly now: () => number;
  /** Base URL for links we hand out (known only once the server listens). */
  readonly publicUrl: () => string;
  readonly forsendelseTyper: readonly string[];
  readonly mottakersystemer: readonly MottakerSystemView[];
  /** Warnings about the postal address (too long for the window envelope); none when absent. */
  readonly addressWarnings?: (adresse: PostAdresse | undefined) => Promise<string[]>;
}

/**
 * Most pages of one letter, all documents together: the composed file holds them all, and
 * composing costs time and memory per page (pdf-lib keeps every page's objects), so one
 * letter stays within what a PDF thread builds in seconds. 10 000 pages is some 20 reams.
 */
const MAX_PAGES_PER_LETTER = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when a document's bytes must be a readable PDF: it is declared PDF and not CMS-encrypted. */
function needsPdfCheck(input: ForsendelseInput, spec: DokumentSpec): boolean {
  return !input.kryptert && isPdfMimetype(spec.mimetype);
}

/** The ForsendelseService on actors and the read model. */
export class ForsendelseServiceImpl implements ForsendelseService {
  private readonly credentials = new VerifiedCredentialCache(5 * 60_000);

  constructor(private readonly deps: ForsendelseServiceDeps) {}

  async send(
    avsender: string,
    input: ForsendelseInput,
    documents: readonly BlobRef[],
    options: SendOptions = {},
  ): Promise<string> {
    const now = this.deps.now();
    const problems: FieldProblem[] = [];
    const id = options.id === undefined ? randomUUID() : options.id.trim().toLowerCase();
    if (!UUID.test(id)) {
      problems.push({
        field: 'forsendelsesid',
        message: `Ugyldig forsendelses-id: forsendelsesid må være en UUID, fikk '${options.id ?? ''}'`,
      });
    }
    problems.push(...validateForsendelse(input, { now }));
    if (documents.length !== input.dokumenter.length) {
      problems.push({
        field: 'dokumenter',
        message: `Antall filer (${documents.length}) stemmer ikke med antall dokumenter i metadata (${input.dokumenter.length})`,
      });
    } else {
      problems.push(
        ...validateDokumentBytes(
          input.dokumenter.map((d, i) => ({ filnavn: d.filnavn, size: documents[i]?.size ?? 0 })),
          { printable: !input.kunDigitalLevering },
        ),
      );
    }
    if (problems.length > 0) throw new ValidationError(problems);
    const stored: StoredDokument[] = [];
    for (const [i, spec] of input.dokumenter.entries()) {
      const blob = documents[i] as BlobRef;
      if (!needsPdfCheck(input, spec)) {
        stored.push({ ...spec, blob });
        continue;
      }
      try {
        const { sider } = await this.deps.inspectDocument(blob, spec, i, options.documentBytes?.[i]);
        stored.push({ ...spec, blob, sider });
      } catch (error) {
        if (error instanceof ValidationError) problems.push(...error.problems);
        else throw error;
      }
    }
    const sider = stored.reduce((sum, d) => sum + (d.sider ?? 0), 0);
    if (sider > MAX_PAGES_PER_LETTER) {
      problems.push({
        field: 'dokumenter',
        message: `For mange sider: dokumenter har til sammen ${sider} sider; høyst ${MAX_PAGES_PER_LETTER} er tillatt i én forsendelse`,
      });
    }
    if (problems.length > 0) throw new ValidationError(problems);
    // A paper copy is possible unless kunDigitalLevering: an address it would cut is flagged.
    const advarsler =
      input.kunDigitalLevering === true ? [] : ((await this.deps.addressWarnings?.(input.mottaker?.postAdresse)) ?? []);
    // Claimed while the intake's lease still holds the bytes (BlobStore port): from here
    // until release(id) no collection can delete them, so the id given out keeps its documents.
    await claimForNewOwner(
      this.deps.blobs,
      id,
      stored.map((d) => d.blob.sha256),
      () =>
        this.deps.actors.execute(id, {
          type: 'Motta',
          at: now,
          id,
          avsender,
          input,
          dokumenter: stored,
          ...(advarsler.length > 0 ? { advarsler } : {}),
        }),
      async () => (await this.deps.actors.state(id)) !== undefined,
    );
    return id;
  }

  newId(): string {
    return randomUUID();
  }

  /** The avsender's own forsendelse, or NotFoundError exactly as for an unknown id. */
  private async own(avsender: string, id: string): Promise<ForsendelseState> {
    const record = UUID.test(id) ? await this.deps.readModel.get(id) : undefined;
    if (record === undefined || record.avsender !== avsender) throw new NotFoundError();
    return fromRecord(record);
  }

  async status(avsender: string, id: string): Promise<StatusView> {
    const s = await this.own(avsender, id.toLowerCase());
    return { id: s.id, status: s.status, sisteStatusEndring: s.sisteStatusEndring };
  }

  async statuses(avsender: string, ids: readonly string[]): Promise<StatusView[]> {
    const wanted = ids.map((i) => i.trim().toLowerCase()).filter((i) => UUID.test(i));
    const records = await this.deps.readModel.getMany(wanted);
    const byId = new Map(records.filter((r) => r.avsender === avsender).map((r) => [r.id, r]));
    return wanted.flatMap((id) => {
      const r = byId.get(id);
      return r === undefined ? [] : [{ id: r.id, status: r.status, sisteStatusEndring: r.sisteStatusEndring }];
    });
  }

  async historikk(avsender: string, id: string): Promise<HistorikkEntry[]> {
    return [...(await this.own(avsender, id.toLowerCase())).historikk];
  }

  async dokumentMetadata(avsender: string, id: string): Promise<DokumentMetadataView[]> {
    const s = await this.own(avsender, id.toLowerCase());
    return s.dokumenter.map((d, i) => ({
      filnavn: d.filnavn,
      mimetype: d.mimetype,
      dokumentType: d.dokumentType,
      sizeInBytes: d.blob.size,
      sha256hash: d.blob.sha256,
      kanSigneres: d.skalSigneres,
      inneholderPersonsensitivInformasjon: d.inneholderPersonsensitivInformasjon,
      ekstraMetadata: d.ekstraMetadata,
      nedlasningsUrl:
        s.dokumenterSlettetAt === undefined
          ? `${this.deps.publicUrl()}/tjenester/api/forsendelse/v1/${s.id}/dokumenter/${i}`
          : undefined,
    }));
  }

  async idsByEksternref(avsender: string, eksternref: string): Promise<string[]> {
    return this.deps.readModel.idsByEksternref(avsender, eksternref);
  }

  async markerLestEksternt(avsender: string, id: string, lest: LestAvEksterntSystem): Promise<void> {
    const s = await this.own(avsender, id.toLowerCase());
    // docs/interfaces.md §4: lestAvFodselsnummer must be non-empty and 11 digits.
    if (!/^[0-9]{11}$/.test(lest.fnr)) {
      throw new ValidationError([
        { field: 'lestAvFodselsnummer', message: 'Ugyldig lestAvFodselsnummer: må være 11 siffer' },
      ]);
    }
    const at = this.deps.now();
    await this.deps.actors.execute(s.id, {
      type: 'MarkerLestEksternt',
      at,
      datoLest: lest.at ?? at,
      fnr: lest.fnr,
      systemnavn: lest.systemnavn,
    });
  }

  async forsendelseTyper(): Promise<string[]> {
    return [...this.deps.forsendelseTyper];
  }

  async mottakersystemer(filter: {
    orgnr?: string;
    forsendelseType?: string;
    niva?: number;
  }): Promise<MottakerSystemView[]> {
    return this.deps.mottakersystemer.filter(
      (m) =>
        (filter.orgnr === undefined || m.orgnr === filter.orgnr) &&
        (filter.forsendelseType === undefined ||
          m.forsendelseType === undefined ||
          m.forsendelseType === filter.forsendelseType) &&
        (filter.niva === undefined || m.niva === filter.niva),
    );
  }

  async signeringshistorikk(avsender: string, id: string): Promise<SigneringsLoggEntry[]> {
    // Signing orders (docs/interfaces.md §13) need Digdir's e-signing service; none is connected, so
    // a forsendelse has no signing log. The id is still checked like every other lookup.
    await this.own(avsender, id.toLowerCase());
    return [];
  }

  async slettFiler(avsender: string, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const s = await this.own(avsender, id.toLowerCase());
      // The bytes go first (unless another letter still uses them), then the event: a
      // process dying in between leaves the sender without its 204, to call again, and
      // never a letter recorded as deleted whose documents were kept.
      await this.deps.blobs.release(s.id);
      await this.deps.actors.execute(s.id, { type: 'SlettDokumenter', at: this.deps.now(), grunn: 'avsender' });
    }
  }

  async authenticate(navn: string, passord: string): Promise<string | undefined> {
    const avsender = await this.deps.config.getAvsender(navn);
    if (avsender === undefined) return undefined;
    const now = this.deps.now();
    if (this.credentials.has(navn, passord, avsender.passordHash, now)) return avsender.navn;
    if (!(await verifyPassword(passord, avsender.passordHash))) return undefined;
    this.credentials.add(navn, passord, avsender.passordHash, now);
    return avsender.navn;
  }
}
