/**
 * A small in-test implementation of the ForsendelseService interface (the door's only
 * collaborator besides the blob store): it records what the door hands it and answers
 * with fixed data, so routing, binding and response shapes can be checked before the
 * real service is wired in. The e2e suites (test/e2e/soap-*.test.ts) use the real one.
 */
import { randomUUID } from 'node:crypto';
import type {
  DokumentMetadataView,
  ForsendelseService,
  LestAvEksterntSystem,
  MottakerSystemView,
  SendOptions,
  SigneringsLoggEntry,
  StatusView,
} from '../../../../src/app/forsendelse-service.js';
import { ConflictError, NotFoundError } from '../../../../src/domain/errors.js';
import type { BlobRef, ForsendelseInput, HistorikkEntry } from '../../../../src/domain/model.js';
import type { BlobStore } from '../../../../src/storage/ports.js';

/** One recorded send. */
export interface RecordedSend {
  readonly avsender: string;
  readonly input: ForsendelseInput;
  readonly documents: readonly BlobRef[];
  readonly options: SendOptions;
  readonly id: string;
}

/** Fixed time of every status change: 2017-10-18T23:21:18.398+02:00. */
export const FIXED_STATUS_TIME = Date.UTC(2017, 9, 18, 21, 21, 18, 398);

/** Records calls; `users` maps avsender name to service password. */
export class RecordingService implements ForsendelseService {
  readonly sends: RecordedSend[] = [];
  readonly lest: { avsender: string; id: string; lest: LestAvEksterntSystem }[] = [];
  /** Thrown by the next send, then cleared. */
  failNextSend: unknown;
  /**
   * Where an accepted send claims its documents, as the real service does (the door
   * releases its intake lease afterwards, deleting what nobody claimed). Set by startSoapServer.
   */
  blobs: Pick<BlobStore, 'claim'> | undefined;

  constructor(private readonly users: Readonly<Record<string, string>> = { kommune: 'hemmelig' }) {}

  async send(
    avsender: string,
    input: ForsendelseInput,
    documents: readonly BlobRef[],
    options: SendOptions = {},
  ): Promise<string> {
    if (this.failNextSend !== undefined) {
      const err = this.failNextSend;
      this.failNextSend = undefined;
      throw err;
    }
    const id = options.id?.toLowerCase() ?? randomUUID();
    if (this.sends.some((s) => s.id === id)) throw new ConflictError(`Forsendelses-id ${id} er allerede brukt`);
    await this.blobs?.claim(
      id,
      documents.map((d) => d.sha256),
    );
    this.sends.push({ avsender, input, documents: [...documents], options, id });
    return id;
  }

  newId(): string {
    return randomUUID();
  }

  private own(avsender: string, id: string): RecordedSend {
    const found = this.sends.find((s) => s.id === id.toLowerCase() && s.avsender === avsender);
    if (!found) throw new NotFoundError();
    return found;
  }

  async status(avsender: string, id: string): Promise<StatusView> {
    const s = this.own(avsender, id);
    return { id: s.id, status: 'MOTTATT', sisteStatusEndring: FIXED_STATUS_TIME };
  }

  async statuses(avsender: string, ids: readonly string[]): Promise<StatusView[]> {
    return ids.flatMap((id) => {
      const s = this.sends.find((x) => x.id === id.toLowerCase() && x.avsender === avsender);
      return s ? [{ id: s.id, status: 'AKSEPTERT' as const, sisteStatusEndring: FIXED_STATUS_TIME }] : [];
    });
  }

  async historikk(avsender: string, id: string): Promise<HistorikkEntry[]> {
    this.own(avsender, id);
    return [
      { at: FIXED_STATUS_TIME, hendelse: 'Mottatt, og tildelt forsendelse-id' },
      { at: FIXED_STATUS_TIME + 1000, hendelse: 'Orginaldokumenter er lagret (1 dokument)\nlinje to & <mer>' },
    ];
  }

  async dokumentMetadata(avsender: string, id: string): Promise<DokumentMetadataView[]> {
    const s = this.own(avsender, id);
    return s.input.dokumenter.map((d, i) => ({
      filnavn: d.filnavn,
      mimetype: d.mimetype,
      sizeInBytes: s.documents[i]?.size ?? 0,
      sha256hash: s.documents[i]?.sha256 ?? '',
      kanSigneres: d.skalSigneres,
      inneholderPersonsensitivInformasjon: false,
      ekstraMetadata: [],
    }));
  }

  async idsByEksternref(avsender: string, eksternref: string): Promise<string[]> {
    return this.sends.filter((s) => s.avsender === avsender && s.input.eksternref === eksternref).map((s) => s.id);
  }

  async markerLestEksternt(avsender: string, id: string, lest: LestAvEksterntSystem): Promise<void> {
    this.own(avsender, id);
    this.lest.push({ avsender, id, lest });
  }

  async forsendelseTyper(): Promise<string[]> {
    return ['Byggesøknad', 'nav.digisos'];
  }

  async mottakersystemer(filter: { orgnr?: string }): Promise<MottakerSystemView[]> {
    const all: MottakerSystemView[] = [
      { orgnr: '974760673', mottakersystem: 'Sak/arkiv', mottakerId: 'mottaker-1', niva: 3 },
      {
        orgnr: '974760673',
        forsendelseType: 'Byggesøknad',
        mottakersystem: 'Byggesak',
        mottakerId: 'mottaker-2',
        niva: 4,
      },
    ];
    return all.filter((m) => filter.orgnr === undefined || m.orgnr === filter.orgnr);
  }

  async signeringshistorikk(avsender: string, id: string): Promise<SigneringsLoggEntry[]> {
    this.own(avsender, id);
    return [
      {
        tidspunkt: '12.03.2018 10:00:00',
        type: 'SigneringsoppdragRegistrert',
        hendelse: 'Signeringsoppdrag registrert',
      },
    ];
  }

  async slettFiler(): Promise<void> {}

  async authenticate(navn: string, passord: string): Promise<string | undefined> {
    return Object.hasOwn(this.users, navn) && this.users[navn] === passord ? navn : undefined;
  }
}
