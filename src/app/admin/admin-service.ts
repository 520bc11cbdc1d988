/**
 * The admin web's application layer: every read and command of /forvaltning that touches
 * letters goes through here, with the access policy (access.ts) applied, so the routes
 * only translate forms and pages. The routes never see the actors or the read model.
 */
import { mayOpenFile, type LetterFileKind } from './file-access.js';
import type { Readable } from 'node:stream';
import type { ForsendelseActors } from '../../actors/forsendelse-registry.js';
import {
  BudbringerError,
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldProblem,
} from '../../domain/errors.js';
import type { ForsendelseState } from '../../domain/forsendelse-state.js';
import type { BlobRef } from '../../domain/model.js';
import { fromRecord } from '../../domain/record.js';
import type { CoverPreviewFormat } from '../../pdf/cover-preview.js';
import type { PdfWork } from '../../pdf/pdf-worker-protocol.js';
import type { PrintBatch } from '../../pdf/print-batch.js';
import type {
  AdminUser,
  AuditLog,
  AuditQuery,
  Avsender,
  BlobStore,
  ConfigStore,
  ForsendelsePage,
  ForsendelseQuery,
  ReadModel,
  StatisticsAggregate,
} from '../../storage/ports.js';
import { createAvsender, rotateServicePassword } from '../accounts.js';
import type { LetterFiles } from '../letter-files.js';
import {
  avsenderScope,
  managedAvsender,
  managedAvsendere,
  requireAdmin,
  requireManager,
  requireRecordAccess,
  sendableAvsendere,
} from './access.js';
import {
  deactivateUser,
  saveUser,
  updateSection,
  usersOf,
  type ConfigSectionName,
  type UserInput,
} from './admin-config.js';
import { DEFAULT_COST_MODEL } from './cost-model.js';
import { checkLogo } from './logo-image.js';
import {
  buildBatch,
  isDuplex,
  manualKvittering,
  manualPrintQueue,
  MAX_BATCH,
  type ManualPrintQueue,
} from './manual-print.js';
import { aggregateFor, type Buckets } from './statistics.js';

/** Largest logo, bytes: a small image on the recipient's page. */
const MAX_LOGO_BYTES = 200 * 1024;

/** Resends a letter's notification; resolves with a Norwegian line describing what was sent. */
export type VarselResender = (forsendelseId: string, av: string) => Promise<string>;

/** What the admin service is built from. */
export interface AdminServiceDeps {
  readonly actors: Pick<ForsendelseActors, 'execute'>;
  readonly readModel: ReadModel;
  readonly blobs: BlobStore;
  /** Stored files as plaintext (encrypted letters' files are kept encrypted). */
  readonly files: Pick<LetterFiles, 'open' | 'read'>;
  readonly config: ConfigStore;
  readonly audit: Pick<AuditLog, 'list'>;
  /** The node's PDF threads: the cover preview and the manual-print batch are made there, not on the main thread. */
  readonly pdf: Pick<PdfWork, 'coverPreview' | 'printBatch'>;
  readonly now?: () => number;
  /** Resending notifications; the action is unavailable without it. */
  readonly resendVarsel?: VarselResender;
}

/** Which avsendere a user's query covers: those it manages, and the filter to search with. */
export interface AvsenderScope {
  readonly managed: string[];
  /** Undefined: no filter (admins, all letters). */
  readonly avsendere: readonly string[] | undefined;
}

/** The recipient on a cover preview. */
const EKSEMPEL_MOTTAKER = { navn: 'Kari Nordmann', adresse1: 'Eksempelveien 1', postnr: '0150', poststed: 'OSLO' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The admin web's reads and commands, each checked against the user's access. */
export class AdminService {
  readonly #deps: AdminServiceDeps;
  readonly #now: () => number;

  constructor(deps: AdminServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** The avsendere `user` manages (sender-only: none), by name. */
  managedAvsendere(user: AdminUser): Promise<Avsender[]> {
    return managedAvsendere(user, this.#deps.config);
  }

  /** The avsendere `user` may send as. */
  sendableAvsendere(user: AdminUser): Promise<Avsender[]> {
    return sendableAvsendere(user, this.#deps.config);
  }

  /** The user's scope, narrowed to `chosen` when the user manages it; refuses sender-only users. */
  async scope(user: AdminUser, chosen = ''): Promise<AvsenderScope> {
    requireManager(user);
    const managed = (await this.managedAvsendere(user)).map((a) => a.navn);
    return { managed, avsendere: avsenderScope(user, managed, chosen) };
  }

  /** A page of the letters matching `query`, never outside the user's avsendere. */
  async search(user: AdminUser, query: ForsendelseQuery): Promise<ForsendelsePage> {
    const { managed } = await this.scope(user);
    const avsendere =
      user.rolle === 'admin' ? query.avsendere : (query.avsendere ?? managed).filter((a) => managed.includes(a));
    if (avsendere?.length === 0) return { items: [], total: 0 };
    return this.#deps.readModel.search({ ...query, avsendere });
  }

  /** The forsendelse `id` if the user may see it; NotFoundError otherwise (as for an unknown id). */
  async forsendelse(user: AdminUser, id: string): Promise<ForsendelseState> {
    const key = id.toLowerCase();
    const record = UUID.test(key) ? await this.#deps.readModel.get(key) : undefined;
    return fromRecord(await requireRecordAccess(user, this.#deps.config, record));
  }

  /** Refuses (403) a file staff may not open: an encrypted letter's (file-access.ts). */
  assertMayOpen(state: ForsendelseState, which: LetterFileKind): void {
    if (mayOpenFile(state, which)) return;
    throw new BudbringerError(
      'KRYPTERT',
      'Forsendelsen er kryptert: dokumentene kan bare åpnes av mottakeren (brevet og printfilen når det er sendt til print).',
      403,
    );
  }

  /** Opens a stored file of a letter (as plaintext); a purged file answers 410 naming `filename`. */
  async openFile(blob: BlobRef, filename: string): Promise<Readable> {
    try {
      return await this.#deps.files.open(blob);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new BudbringerError('SLETTET', `Filen «${filename}» er slettet fra lageret.`, 410);
      throw error;
    }
  }

  /** Closes the letter as MANUELT_HANDTERT with the user's reason (at most 1000 characters, else refused). */
  async markManueltHandtert(user: AdminUser, id: string, grunn: string): Promise<void> {
    const state = await this.forsendelse(user, id);
    await this.#deps.actors.execute(state.id, {
      type: 'MarkerManueltHandtert',
      at: this.#now(),
      av: user.brukernavn,
      grunn,
    });
  }

  /** True when this installation can resend notifications. */
  get canResendVarsel(): boolean {
    return this.#deps.resendVarsel !== undefined;
  }

  /** Resends the letter's notification; resolves with what was sent, in Norwegian. */
  async resendVarsel(user: AdminUser, id: string): Promise<string> {
    const state = await this.forsendelse(user, id);
    if (this.#deps.resendVarsel === undefined)
      throw new ConflictError('Varsling på nytt er ikke tilgjengelig på denne installasjonen');
    return this.#deps.resendVarsel(state.id, user.brukernavn);
  }

  /** The user's manual print queue, oldest first. */
  async printQueue(user: AdminUser): Promise<ManualPrintQueue> {
    const { avsendere } = await this.scope(user);
    return manualPrintQueue(this.#deps.readModel, avsendere);
  }

  /**
   * The batch of the user's queued letters printed one- or two-sided (`chosen` ids only,
   * all when empty), at most MAX_BATCH; undefined when none match.
   */
  async printBatch(
    user: AdminUser,
    tosidig: boolean,
    chosen: ReadonlySet<string>,
  ): Promise<{ letters: ForsendelseState[]; batch: PrintBatch } | undefined> {
    const letters = (await this.printQueue(user)).letters
      .filter((s) => isDuplex(s) === tosidig && (chosen.size === 0 || chosen.has(s.id)))
      .slice(0, MAX_BATCH);
    if (letters.length === 0) return undefined;
    return { letters, batch: await buildBatch(letters, (blob) => this.#deps.files.read(blob), this.#deps.pdf) };
  }

  /**
   * Confirms the letters as printed (a receipt from the cost model, PRINTET). Only letters in
   * the user's queue count: ids of other organisations are ignored. Resolves with the ids this
   * call confirmed: a letter another clerk confirmed first (the same batch, the same moment)
   * is not counted again, nor written twice to the audit log (found in review).
   */
  async confirmPrinted(user: AdminUser, ids: ReadonlySet<string>): Promise<string[]> {
    const letters = (await this.printQueue(user)).letters.filter((s) => ids.has(s.id));
    const done: string[] = [];
    for (const s of letters) {
      const t = this.#now();
      let recorded: boolean;
      try {
        const result = await this.#deps.actors.execute(s.id, {
          type: 'RegistrerPrintkvittering',
          at: t,
          kvittering: manualKvittering(s, t, DEFAULT_COST_MODEL),
          av: user.brukernavn,
          leverandor: 'manual',
        });
        recorded = result.events.length > 0;
      } catch (error) {
        if (error instanceof BudbringerError) continue; // printed meanwhile by someone else
        throw error;
      }
      if (recorded) done.push(s.id);
    }
    return done;
  }

  /** The statistics aggregate of the user's avsendere (narrowed to `chosen`) over the buckets' period. */
  async statistics(user: AdminUser, chosen: string, buckets: Buckets): Promise<StatisticsAggregate> {
    const { avsendere } = await this.scope(user, chosen);
    return aggregateFor(this.#deps.readModel, avsendere, buckets);
  }

  /** The avsender `navn` if `user` manages it; NotFoundError otherwise (as for an unknown name). */
  avsender(user: AdminUser, navn: string): Promise<Avsender> {
    return managedAvsender(user, this.#deps.config, navn);
  }

  /**
   * The cover page of avsender `navn` as a sender's letter shows it, to an example recipient:
   * with `forside` (the form's values, a live preview) instead of the stored one when given.
   */
  async coverPreview(
    user: AdminUser,
    navn: string,
    forside: Avsender['forside'] | undefined,
    format: CoverPreviewFormat,
  ): Promise<Uint8Array> {
    const avsender = await this.avsender(user, navn);
    const shown = forside ?? avsender.forside;
    return this.#deps.pdf.coverPreview(
      {
        avsender: { ...shown, navn: shown.navn === '' ? avsender.navn : shown.navn },
        mottaker: EKSEMPEL_MOTTAKER,
        tittel: 'Eksempel: Vedtak om tildeling av barnehageplass',
        dato: this.#now(),
      },
      format,
    );
  }

  /** The users with access to `avsender`. */
  usersOf(avsender: Avsender): Promise<AdminUser[]> {
    return usersOf(this.#deps.config, avsender);
  }

  /** Creates an avsender (admins only); resolves with it and its service password, shown once. */
  async createAvsender(
    user: AdminUser,
    navn: string,
    orgnr: string | undefined,
  ): Promise<{ avsender: Avsender; servicePassword: string }> {
    requireAdmin(user);
    return createAvsender(this.#deps.config, { navn, orgnr, now: this.#now() });
  }

  /** Stores section `name` of `changed`, an avsender the user manages; resolves with the stored avsender before and after. */
  async updateSection(
    user: AdminUser,
    changed: Avsender,
    name: ConfigSectionName,
  ): Promise<{ before: Avsender; after: Avsender }> {
    await this.avsender(user, changed.navn);
    return updateSection(this.#deps.config, changed, name);
  }

  /**
   * Makes the stored image `blob` avsender `navn`'s logo on the recipient page (PNG or JPEG,
   * at most 200 KB, its structure checked by logo-image.ts): claimed by the avsender's logo
   * owner, the previous logo released. Returns the avsender after the change.
   */
  async setLogo(user: AdminUser, navn: string, blob: { sha256: string; size: number }): Promise<Avsender> {
    const avsender = await this.avsender(user, navn);
    const checked = checkLogo(await this.#deps.blobs.get(blob.sha256));
    const mimetype = 'mimetype' in checked ? checked.mimetype : undefined;
    const problems: FieldProblem[] = [];
    if ('problem' in checked) problems.push({ field: 'logo', message: `Ugyldig logo: ${checked.problem}` });
    if (blob.size > MAX_LOGO_BYTES)
      problems.push({
        field: 'logo',
        message: `For stor logo: høyst 200 KB (filen er ${Math.ceil(blob.size / 1024)} KB)`,
      });
    if (mimetype === undefined || problems.length > 0) throw new ValidationError(problems);
    const owner = `logo:${avsender.navn}`;
    await this.#deps.blobs.release(owner);
    await this.#deps.blobs.claim(owner, [blob.sha256]);
    const changed: Avsender = {
      ...avsender,
      mottakerside: { ...avsender.mottakerside, logo: { sha256: blob.sha256, size: blob.size, mimetype } },
    };
    return (await updateSection(this.#deps.config, changed, 'mottakerside')).after;
  }

  /** A new service password for avsender `navn` (shown once). */
  async rotateServicePassword(user: AdminUser, navn: string): Promise<{ avsender: Avsender; passord: string }> {
    const avsender = await this.avsender(user, navn);
    return { avsender, passord: await rotateServicePassword(this.#deps.config, avsender.navn) };
  }

  /** Adds or changes a user with access to avsender `navn` (see admin-config.ts saveUser). */
  async saveUser(
    actor: AdminUser,
    avsender: Avsender,
    input: UserInput,
  ): Promise<{ existed: boolean; rolle: AdminUser['rolle'] }> {
    await this.avsender(actor, avsender.navn);
    return saveUser(this.#deps.config, actor, avsender, input, this.#now());
  }

  /** Deactivates a user with access to `avsender`; resolves with its stored name, undefined when already deactivated. */
  async deactivateUser(actor: AdminUser, avsender: Avsender, brukernavn: string): Promise<string | undefined> {
    await this.avsender(actor, avsender.navn);
    return deactivateUser(this.#deps.config, actor, avsender, brukernavn);
  }

  /** A page of the audit log, newest first (admins only). */
  async auditLog(user: AdminUser, query: AuditQuery): Promise<Awaited<ReturnType<AuditLog['list']>>> {
    requireAdmin(user);
    return this.#deps.audit.list(query);
  }
}
