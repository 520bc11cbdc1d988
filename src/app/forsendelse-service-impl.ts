/**
 * The application service behind every door: validation, durable intake through the
 * forsendelse actor, and reads from the read model, each scoped to the avsender asking.
 */
import { randomUUID } from 'node:crypto';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../domain/errors.js';
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
import { readTimeProblems, systemnavnProblems } from '../domain/validation/index.js';
import { quote } from '../domain/validation/problem.js';
import {
  giroarkSiderProblems,
  isPdfMimetype,
  mayBePrinted,
  validateDokumentBytes,
  validateForsendelse,
} from '../domain/validation/index.js';
import type { BlobStore, ConfigStore, ReadModel, RecordedSendAttempt, SendAttempts } from '../storage/ports.js';
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
import type { ContactRegister } from '../channels/krr/index.js';
import { requireDigitalReach } from './digital-reach.js';
import { innholdSha256 } from './letter-fingerprint.js';
import type { MottakersystemService } from './mottakersystemer.js';
import { prepareUnknownUserHash, verifyPassword, verifyUnknownUser, VerifiedCredentialCache } from './passwords.js';
import { admitAgainstDuplicates, retryAnswer } from './send-rules.js';

/**
 * Whose letter a document check is for: the checks are shared between senders, so a burst
 * from one waits behind itself (src/composition/check-gate.ts). `bytes`, when given, are the
 * blob's bytes, already in memory.
 */
export interface CheckFor {
  readonly avsender: string;
  readonly bytes?: Uint8Array;
}

/** Checks one stored document's content (PDF parse); returns its page count or throws ValidationError. */
export type DocumentInspector = (
  blob: BlobRef,
  spec: DokumentSpec,
  index: number,
  check: CheckFor,
) => Promise<{ sider?: number; utenAktivtInnhold?: true }>;

/**
 * Decrypts one stored encrypted document (kryptert=true: CMS for the installation's key) and,
 * when `isPdf`, checks the plaintext as DocumentInspector does; returns the plaintext's size
 * and page count, or throws ValidationError naming the document.
 */
export type EncryptedDocumentInspector = (
  blob: BlobRef,
  spec: DokumentSpec,
  index: number,
  isPdf: boolean,
  check: CheckFor,
) => Promise<{ sider?: number; utenAktivtInnhold?: true; plaintextSize: number; plaintextSha256?: string }>;

/** What the service is built from. */
export interface ForsendelseServiceDeps {
  readonly actors: ForsendelseActors;
  readonly readModel: ReadModel;
  readonly config: ConfigStore;
  /** References: a forsendelse's documents are claimed before its id is given out. */
  readonly blobs: Pick<BlobStore, 'claim' | 'release'>;
  readonly inspectDocument: DocumentInspector;
  readonly inspectEncryptedDocument: EncryptedDocumentInspector;
  readonly now: () => number;
  /** Base URL for links we hand out (known only once the server listens). */
  readonly publicUrl: () => string;
  readonly forsendelseTyper: readonly string[];
  /** Recent send attempts for the duplicate rule (docs/interfaces.md §8); without it the rule is not applied. */
  readonly sendAttempts?: SendAttempts;
  /** True when a signing service is connected; without one, signing orders are refused at intake. */
  readonly signeringstjeneste?: boolean;
  /** The receiving systems' register (src/app/mottakersystemer.ts). */
  readonly mottakersystemer: Pick<MottakersystemService, 'views'>;
  /** Warnings about the postal address (too long for the window envelope); none when absent. */
  readonly addressWarnings?: (adresse: PostAdresse | undefined) => Promise<string[]>;
  /** Refusals of postal address fields the cover page cannot print legibly; none when absent. */
  readonly unprintableAddress?: (adresse: PostAdresse | undefined, path: string) => Promise<FieldProblem[]>;
  /** The contact register, for sends that must reach a person digitally (SendOptions.kreverDigitalMottaker). */
  readonly krr?: Pick<ContactRegister, 'lookup'>;
}

/**
 * Most pages of one letter, all documents together: the composed file holds them all, and
 * composing costs time and memory per page (pdf-lib keeps every page's objects), so one
 * letter stays within what a PDF thread builds in seconds. 10 000 pages is some 20 reams.
 */
const MAX_PAGES_PER_LETTER = 10_000;

/** The nil UUID (RFC 9562 §5.9): a placeholder, never a letter's id. */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A stored document's page count (undefined when it is no PDF that was checked). */
const sidetall = (d: StoredDokument): number | undefined => d.sider;

/** True when a document's bytes must be a readable PDF: it is declared PDF (an encrypted one is checked once decrypted). */
function needsPdfCheck(spec: DokumentSpec): boolean {
  return isPdfMimetype(spec.mimetype);
}

/** The ForsendelseService on actors and the read model. */
export class ForsendelseServiceImpl implements ForsendelseService {
  private readonly credentials = new VerifiedCredentialCache(5 * 60_000);

  constructor(private readonly deps: ForsendelseServiceDeps) {
    void prepareUnknownUserHash();
  }

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
    } else if (id === NIL_UUID) {
      // Every client that fills in "no id" this way would share one letter (found in review).
      problems.push({
        field: 'forsendelsesid',
        message:
          'Ugyldig forsendelses-id: forsendelsesid kan ikke være null-UUID-en (bare nuller); bruk startNyForsendelse',
      });
    }
    // The same id again (a client's retry after a timeout): its id when it is the same letter.
    let takenByOther: ForsendelseState | undefined;
    if (options.id !== undefined && UUID.test(id)) {
      // The read model (one indexed read; no actor started for a fresh id). A letter it does
      // not show yet is caught at Motta below, which refuses a taken id.
      const existing = await this.deps.readModel.get(id);
      if (existing !== undefined) {
        const state = fromRecord(existing);
        // Another sender's id is refused only once the letter is valid, as a free id's letter
        // would be sent then: refused before validation, an empty body told any sender which
        // ids exist, at no cost (found in review).
        if (state.avsender !== avsender) takenByOther = state;
        else {
          // An encrypted letter is compared by its decrypted documents.
          const decrypted = input.kryptert === true;
          return retryAnswer(state, avsender, {
            input,
            documents: decrypted ? await this.decryptedForComparison(avsender, input, documents) : documents,
          });
        }
      }
    }
    problems.push(
      ...validateForsendelse(input, {
        now,
        signeringstjeneste: this.deps.signeringstjeneste === true,
        konteringskodeUnderscore: options.konteringskodeUnderscore === true,
      }),
    );
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
    // Every problem at once (the admin web's send form shows them together): the documents are
    // checked also when a field is wrong, except when the list itself is (a count, a total size)
    // and each document that already has a problem of its own.
    if (problems.some((p) => p.field === 'dokumenter' || p.field === 'forsendelsesid'))
      throw new ValidationError(problems);
    const alreadyRefused = (i: number): boolean =>
      problems.some((p) => p.field === `dokumenter[${i}]` || p.field.startsWith(`dokumenter[${i}].`));
    const stored: StoredDokument[] = [];
    for (const [i, spec] of input.dokumenter.entries()) {
      if (alreadyRefused(i)) continue;
      const blob = documents[i] as BlobRef;
      if (input.kryptert) {
        try {
          stored.push(await this.encryptedDocument(blob, spec, i, avsender));
        } catch (error) {
          if (error instanceof ValidationError) problems.push(...error.problems);
          else throw error;
        }
        continue;
      }
      if (!needsPdfCheck(spec)) {
        stored.push({ ...spec, blob });
        continue;
      }
      try {
        stored.push({
          ...spec,
          blob,
          ...(await this.deps.inspectDocument(blob, spec, i, { avsender, bytes: options.documentBytes?.[i] })),
        });
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
    // An address the envelope's window would show as boxes or reversed: the post cannot deliver it.
    if (mayBePrinted(input) && this.deps.unprintableAddress !== undefined)
      problems.push(...(await this.deps.unprintableAddress(input.mottaker?.postAdresse, 'mottaker.postAdresse')));
    // Giro pages against the page counts the check found (every document stored when no problem).
    if (problems.length === 0) problems.push(...giroarkSiderProblems(input.dokumenter, stored.map(sidetall)));
    if (problems.length > 0) throw new ValidationError(problems);
    if (takenByOther !== undefined) retryAnswer(takenByOther, avsender, { input, documents });
    if (options.kreverDigitalMottaker === true) await requireDigitalReach(this.deps.krr, input);
    const innhold = innholdSha256(
      input,
      stored.map((d) => d.blob),
    );
    const attempt = await this.admit(avsender, input, now);
    // A paper copy is possible unless kunDigitalLevering: an address it would cut is flagged.
    const advarsler =
      input.kunDigitalLevering === true ? [] : ((await this.deps.addressWarnings?.(input.mottaker?.postAdresse)) ?? []);
    // Claimed while the intake's lease still holds the bytes (BlobStore port): from here
    // until release(id) no collection can delete them, so the id given out keeps its documents.
    const command = {
      type: 'Motta',
      at: now,
      id,
      avsender,
      input,
      dokumenter: stored,
      innholdSha256: innhold,
      ...(advarsler.length > 0 ? { advarsler } : {}),
    } as const;
    const sha256s = stored.map((d) => d.blob.sha256);
    try {
      // A new id: claims, journal, jobs and record in one write, without an actor round trip.
      const created = await this.deps.actors.create(id, command, sha256s).catch(async (error: unknown) => {
        await this.releaseUnlessCreated(id);
        throw error;
      });
      if (created !== undefined) return id;
      // The id may be taken: its actor decides on the stored state.
      await claimForNewOwner(
        this.deps.blobs,
        id,
        sha256s,
        () => this.deps.actors.execute(id, command),
        async () => (await this.deps.actors.state(id)) !== undefined,
      );
    } catch (error) {
      if (attempt !== undefined) await this.deps.sendAttempts?.remove(attempt.id).catch(() => undefined);
      // The same id sent twice at once: the one that lost answers as a retry would.
      const existing = error instanceof ConflictError ? await this.deps.actors.state(id) : undefined;
      if (existing !== undefined)
        return retryAnswer(existing, avsender, {
          input,
          documents: stored.map((d) => d.blob),
        });
      throw error;
    }
    return id;
  }

  /** The duplicate rule (src/app/send-rules.ts), when the store keeps send attempts. */
  private async admit(
    avsender: string,
    input: ForsendelseInput,
    now: number,
  ): Promise<RecordedSendAttempt | undefined> {
    if (this.deps.sendAttempts === undefined) return undefined;
    return admitAgainstDuplicates(this.deps.sendAttempts, avsender, input, now);
  }

  /**
   * The documents of an encrypted retry, each with the SHA-256 of its decrypted bytes (its
   * check's refusal, if any, is the answer: such a document is not the letter sent before).
   */
  private async decryptedForComparison(
    avsender: string,
    input: ForsendelseInput,
    documents: readonly BlobRef[],
  ): Promise<BlobRef[]> {
    const decrypted: BlobRef[] = [];
    // One at a time, as intake does: each may hold a document's bytes while it is checked.
    for (const [i, blob] of documents.entries()) {
      const spec = input.dokumenter[i];
      if (spec === undefined) {
        decrypted.push(blob);
        continue;
      }
      const { plaintextSize, plaintextSha256 } = await this.deps.inspectEncryptedDocument(
        blob,
        spec,
        i,
        isPdfMimetype(spec.mimetype),
        { avsender },
      );
      decrypted.push({
        ...blob,
        cms: plaintextSha256 === undefined ? { plaintextSize } : { plaintextSize, plaintextSha256 },
      });
    }
    return decrypted;
  }

  /**
   * An encrypted document as stored: the sender's envelope stays the blob (encrypted at rest,
   * docs/interfaces.md §12), marked with its plaintext size once it has decrypted and passed its check.
   */
  private async encryptedDocument(
    blob: BlobRef,
    spec: DokumentSpec,
    index: number,
    avsender: string,
  ): Promise<StoredDokument> {
    const checked = await this.deps.inspectEncryptedDocument(blob, spec, index, isPdfMimetype(spec.mimetype), {
      avsender,
    });
    if (checked.plaintextSize === 0) {
      throw new ValidationError([
        {
          field: `dokumenter[${index}].data`,
          message: `Kan ikke lagre tomt dokument: dokumenter[${index}].data «${spec.filnavn}» er tomt`,
        },
      ]);
    }
    const { plaintextSize, plaintextSha256, ...pdf } = checked;
    const cms = plaintextSha256 === undefined ? { plaintextSize } : { plaintextSize, plaintextSha256 };
    return { ...spec, blob: { ...blob, cms }, ...pdf };
  }

  /**
   * After a failed create: a store without one transaction may have written the claims,
   * which nothing would release if no letter came to be. Storage failing here keeps them.
   */
  private async releaseUnlessCreated(id: string): Promise<void> {
    try {
      if ((await this.deps.actors.state(id)) === undefined) await this.deps.blobs.release(id);
    } catch {
      // Keeping a claim is the safe side.
    }
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
    const records = await this.deps.readModel.statusesOf(wanted);
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
      // An encrypted letter's documents are kept encrypted and open only for the recipient
      // (docs/interfaces.md §12), so the sender gets no download link for them.
      nedlasningsUrl:
        s.dokumenterSlettetAt === undefined && !s.input.kryptert
          ? `${this.deps.publicUrl()}/tjenester/api/forsendelse/v1/${s.id}/dokumenter/${i}`
          : undefined,
      ...(s.dokumenterSlettetAt !== undefined
        ? { ikkeTilgjengelig: 'slettet' as const }
        : s.input.kryptert
          ? { ikkeTilgjengelig: 'kryptert' as const }
          : {}),
    }));
  }

  async idsByEksternref(avsender: string, eksternref: string): Promise<string[]> {
    return this.deps.readModel.idsByEksternref(avsender, eksternref);
  }

  async markerLestEksternt(avsender: string, id: string, lest: LestAvEksterntSystem): Promise<void> {
    const s = await this.own(avsender, id.toLowerCase());
    const at = this.deps.now();
    const problems = [
      // docs/interfaces.md §4: lestAvFodselsnummer must be non-empty and 11 digits.
      ...(/^[0-9]{11}$/.test(lest.fnr)
        ? []
        : [{ field: 'lestAvFodselsnummer', message: 'Ugyldig fødselsnummer: lestAvFodselsnummer må være 11 siffer' }]),
      ...systemnavnProblems(lest.systemnavn, 'navnPaEksterntSystem'),
      ...(lest.at === undefined ? [] : readTimeProblems(lest.at, at, 'datoLest')),
    ];
    if (problems.length > 0) throw new ValidationError(problems);
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
    return this.deps.mottakersystemer.views(filter);
  }

  async signeringshistorikk(avsender: string, id: string): Promise<SigneringsLoggEntry[]> {
    // Signing orders (docs/interfaces.md §13) need Digdir's e-signing service; none is connected, so
    // a forsendelse has no signing log. The id is still checked like every other lookup.
    await this.own(avsender, id.toLowerCase());
    return [];
  }

  async slettFiler(avsender: string, ids: readonly string[]): Promise<void> {
    // Every id is looked up before anything is deleted: a list with an unknown id (or another
    // sender's, answered alike) deletes nothing and names the entries.
    const found = await Promise.all(
      ids.map((id) =>
        this.own(avsender, id.toLowerCase()).catch((error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        }),
      ),
    );
    if (ids.length === 1 && found[0] === undefined) throw new NotFoundError();
    const missing = ids.flatMap((id, i) => (found[i] === undefined ? [`forsendelseIder[${i}] (${quote(id)})`] : []));
    if (missing.length > 0) {
      throw new NotFoundError(
        `${missing.length === 1 ? 'Forsendelsen' : 'Forsendelsene'} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` og ${missing.length - 10} til` : ''}`,
      );
    }
    for (const s of found as ForsendelseState[]) {
      // The bytes go first (unless another letter still uses them), then the event: a
      // process dying in between leaves the sender without its 204, to call again, and
      // never a letter recorded as deleted whose documents were kept.
      await this.deps.blobs.release(s.id);
      await this.deps.actors.execute(s.id, { type: 'SlettDokumenter', at: this.deps.now(), grunn: 'avsender' });
    }
  }

  /**
   * The avsender of forsendelse `id` when it is one of `blant` (the accounts a Fiks
   * integration may act for); NotFoundError otherwise, exactly as for an unknown id.
   */
  async avsenderAv(id: string, blant: readonly string[]): Promise<string> {
    const wanted = id.trim().toLowerCase();
    const record = UUID.test(wanted) ? await this.deps.readModel.get(wanted) : undefined;
    if (record === undefined || !blant.includes(record.avsender)) throw new NotFoundError();
    return record.avsender;
  }

  /** The avsender's forsendelser with this eksternref, oldest first, with when and from which system. */
  async eksternrefTreff(
    avsender: string,
    eksternref: string,
  ): Promise<{ id: string; mottattAt: number; avgivendeSystem?: string }[]> {
    const ids = await this.deps.readModel.idsByEksternref(avsender, eksternref);
    const records = await this.deps.readModel.getMany(ids);
    const byId = new Map(records.filter((r) => r.avsender === avsender).map((r) => [r.id, fromRecord(r)]));
    return ids.flatMap((id) => {
      const s = byId.get(id);
      return s === undefined ? [] : [{ id, mottattAt: s.mottattAt, avgivendeSystem: s.input.avgivendeSystem }];
    });
  }

  async authenticate(navn: string, passord: string): Promise<string | undefined> {
    const avsender = await this.deps.config.getAvsender(navn);
    // As long as a wrong password takes, so the answer's time does not tell which names exist.
    if (avsender === undefined) return verifyUnknownUser(passord).then(() => undefined);
    const verified = await this.credentials.verifyOnce(navn, passord, avsender.passordHash, this.deps.now(), () =>
      verifyPassword(passord, avsender.passordHash),
    );
    return verified ? avsender.navn : undefined;
  }
}
