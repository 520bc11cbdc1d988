/**
 * The recipients' inbox behind the door (docs/architecture.md steps 6–7): a link token resolves to its
 * letter only for the recipient it was made for, while the letter's files exist; a download
 * of the whole forsendelsesfil, at once or in parts, records the read. The door (src/http/inbox/) renders pages.
 */
import type { Readable } from 'node:stream';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import type { ContactRegister } from '../channels/krr/index.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import type { BlobRef } from '../domain/model.js';
import { mottakerIdOf } from '../domain/mottaker.js';
import { singleMobileNumber } from '../domain/validation/index.js';
import { fromRecord } from '../domain/record.js';
import type { Avsender, ByteRange, ConfigStore, ReadModel, ServedParts } from '../storage/ports.js';
import { DownloadCoverage, type ServedRange } from './download-coverage.js';
import type { InboxGrant, InboxLinks } from './inbox-links.js';
import type { LetterFiles } from './letter-files.js';
import type { OneTimeCodeUses } from './one-time-code-uses.js';

/** What a link token opens: the letter, or why not. */
export type InboxOpening =
  | { readonly kind: 'brev'; readonly state: ForsendelseState }
  | { readonly kind: 'ugyldig'; readonly grunn: 'lenke' | 'ukjent-brev' | 'feil-mottaker' }
  /** `avsender`: the letter's sender, for the page's language, when the expired link is its recipient's. */
  | { readonly kind: 'utlopt'; readonly avsender?: string }
  | {
      readonly kind: 'slettet';
      readonly slettetAt: number;
      /** Why, where the letter's history says (DokumenterSlettet's grunn). */
      readonly grunn?: 'oppbevaringstid' | 'avsender';
      readonly avsender: string;
    };

/** What the inbox service needs. */
export interface InboxServiceDeps {
  readonly links: InboxLinks;
  readonly readModel: Pick<ReadModel, 'get'>;
  readonly actors: Pick<ForsendelseActors, 'execute'>;
  /** The letter's files as plaintext: an encrypted letter's are decrypted for its recipient only here. */
  readonly files: Pick<LetterFiles, 'open'>;
  readonly now: () => number;
  /** Which one-time codes were used (each opens a level-4 letter once). */
  readonly codeUses: OneTimeCodeUses;
  /** The parts of files sent so far (in Redis across nodes); absent: this process's memory. */
  readonly servedParts?: ServedParts;
  /** The contact register: the mobile number of a person a level-4 letter is shared with. */
  readonly krr?: Pick<ContactRegister, 'lookup'>;
  /**
   * The reply service's address for an organisation (svarPaForsendelseLink: the recipient
   * answers the orgnr in svarSendesTil, docs/interfaces.md §5); no reply link without it.
   */
  readonly svarUrl?: (orgnr: string) => string;
  /** The senders' presentation (name on the cover, contact line, language); absent: the name only. */
  readonly config?: Pick<ConfigStore, 'getAvsender'>;
}

/** How the recipient's page presents the sender. */
export interface AvsenderProfil {
  /** The name the sender uses toward recipients (its cover page's), else its account name. */
  readonly navn: string;
  readonly kontakt?: string;
  readonly sprak: NonNullable<NonNullable<Avsender['mottakerside']>['sprak']>;
  /** The sender's logo, when it has one. */
  readonly logo?: NonNullable<Avsender['mottakerside']>['logo'];
}

/** How long a right one-time code opens a level-4 letter in that browser. */
export const NIVA4_PROOF_MS = 3_600_000;

/** Opening letters by link, level-4 state, files and reads. */
export class InboxService {
  readonly #deps: InboxServiceDeps;
  readonly #parts: ServedParts;

  constructor(deps: InboxServiceDeps) {
    this.#deps = deps;
    this.#parts = deps.servedParts ?? new DownloadCoverage();
  }

  /** The letter behind `token`, or why it cannot be opened. */
  async open(token: string): Promise<InboxOpening> {
    const { links } = this.#deps;
    const grant = links.read(token);
    if (grant === undefined) return { kind: 'ugyldig', grunn: 'lenke' };
    const record = await this.#deps.readModel.get(grant.forsendelseId);
    const state = record === undefined ? undefined : fromRecord(record);
    const forRecipient = state !== undefined && (this.#isRecipient(state, grant) || this.#isExposedTo(state, grant));
    if (this.#deps.now() > grant.expiresAt)
      return forRecipient ? { kind: 'utlopt', avsender: state.avsender } : { kind: 'utlopt' };
    if (state === undefined) return { kind: 'ugyldig', grunn: 'ukjent-brev' };
    if (!forRecipient) return { kind: 'ugyldig', grunn: 'feil-mottaker' };
    if (state.dokumenterSlettetAt !== undefined)
      return {
        kind: 'slettet',
        slettetAt: state.dokumenterSlettetAt,
        ...(state.dokumenterSlettetGrunn === undefined ? {} : { grunn: state.dokumenterSlettetGrunn }),
        avsender: state.avsender,
      };
    return { kind: 'brev', state };
  }

  /** True when the link of `grant` is the letter's recipient's. */
  #isRecipient(state: ForsendelseState, grant: InboxGrant): boolean {
    return this.#deps.links.isFor(grant, mottakerIdOf(state.input.mottaker?.digitalAdresse));
  }

  /** True when the link of `grant` is one of the digital addresses the letter is also exposed to (eksponertFor, docs/interfaces.md §6). */
  #isExposedTo(state: ForsendelseState, grant: InboxGrant): boolean {
    return (
      grant.mottaker !== '' &&
      (state.input.eksponertFor ?? []).some((adresse) => this.#deps.links.isFor(grant, mottakerIdOf(adresse)))
    );
  }

  /** True when `token` is a link of the letter's recipient (not of an eksponertFor address). */
  isRecipientLink(state: ForsendelseState, token: string): boolean {
    const grant = this.#deps.links.verify(token, this.#deps.now());
    return typeof grant !== 'string' && this.#isRecipient(state, grant);
  }

  /** Where the recipient may answer the letter (svarPaForsendelseLink with an orgnr in svarSendesTil), if anywhere. */
  svarLenke(state: ForsendelseState): string | undefined {
    const svarTil = state.input.svarSendesTil?.digitalAdresse;
    if (!state.input.svarPaForsendelseLink || svarTil?.type !== 'organisasjon' || this.#deps.svarUrl === undefined)
      return undefined;
    return this.#deps.svarUrl(svarTil.orgnr);
  }

  /**
   * True when the letter may be read with this level-4 proof (the signed cookie value) now;
   * letters without the requirement always. The proof names its link and when it ends, so
   * a copied cookie opens that letter for at most NIVA4_PROOF_MS, whatever its Max-Age said.
   */
  isVerified(state: ForsendelseState, token: string, proof: string | undefined): boolean {
    if (!state.input.krevNiva4Innlogging) return true;
    const value = this.#deps.links.unsign(proof ?? '');
    const at = value?.lastIndexOf('~') ?? -1;
    if (value === undefined || at < 0) return false;
    return value.slice(0, at) === token.slice(-43) && Number(value.slice(at + 1)) > this.#deps.now();
  }

  /** The level-4 proof for `token` after a right one-time code (kept by the browser for NIVA4_PROOF_MS). */
  proofFor(token: string): string {
    return this.#deps.links.sign(`${token.slice(-43)}~${this.#deps.now() + NIVA4_PROOF_MS}`);
  }

  /**
   * Whose codes these are: the letter and the person (or organisation) its link was made
   * for. Each person a level-4 letter is shared with (eksponertFor) has codes of their own,
   * sent to their own phone, and using one does not use another's.
   */
  codeSubject(state: ForsendelseState, token: string): string {
    return `${state.id}:${this.#deps.links.read(token)?.mottaker ?? ''}`;
  }

  /**
   * The mobile number a one-time code for `token` goes to: the recipient's notification
   * number on the recipient's link; on the link of a person the letter is shared with
   * (eksponertFor), that person's own, from the contact register (not reserved, active).
   * Undefined when there is none: an organisation's link, no number in the register.
   * Throws when the register cannot be asked (KrrUnavailableError).
   */
  async codeMobile(state: ForsendelseState, token: string): Promise<string | undefined> {
    const grant = this.#deps.links.read(token);
    if (grant === undefined) return undefined;
    if (this.#isRecipient(state, grant)) return state.varsling?.sms;
    const adresse = (state.input.eksponertFor ?? []).find((a) => this.#deps.links.isFor(grant, mottakerIdOf(a)));
    if (adresse?.type !== 'person' || this.#deps.krr === undefined) return undefined;
    const person = await this.#deps.krr.lookup(adresse.fnr);
    if (person === undefined || person.reservasjon === 'JA' || person.status !== 'AKTIV') return undefined;
    return singleMobileNumber(person.kontaktinformasjon?.mobiltelefonnummer);
  }

  /** The one-time code for `token` of `state` now, to send by SMS. */
  async oneTimeCode(state: ForsendelseState, token: string): Promise<string> {
    const now = this.#deps.now();
    const generation = await this.#deps.codeUses.generation(this.codeSubject(state, token), now);
    return this.#deps.links.oneTimeCode(token, now, generation);
  }

  /**
   * Checks `kode` for `token` of `state` and, when right, uses it: a right code opens the
   * letter once ('rett'); a second time, in any browser, it is 'brukt', except from the same
   * `form` (the code form's random id) within a short while: a double click ('rett' again).
   */
  async useOneTimeCode(
    state: ForsendelseState,
    token: string,
    kode: string,
    form?: string,
  ): Promise<'rett' | 'feil' | 'brukt'> {
    const now = this.#deps.now();
    const uses = this.#deps.codeUses;
    const subject = this.codeSubject(state, token);
    const generation = await uses.generation(subject, now);
    const usedBefore = async (g: number): Promise<'rett' | 'brukt'> =>
      form !== undefined && (await uses.usedFrom(subject, g, form, now)) ? 'rett' : 'brukt';
    if (this.#deps.links.checkOneTimeCode(token, kode, now, generation))
      return (await uses.use(subject, generation, now, form)) ? 'rett' : usedBefore(generation);
    // The code before the last use: one already used (the generation has moved on since).
    if (generation > 0 && this.#deps.links.checkOneTimeCode(token, kode, now, generation - 1))
      return usedBefore(generation - 1);
    return 'feil';
  }

  /** Streams (a range of) one of the letter's files, as plaintext. */
  stream(blob: BlobRef, range?: ByteRange): Promise<Readable> {
    return this.#deps.files.open(blob, range);
  }

  /** How the page presents avsender `navn`. */
  async avsenderProfil(navn: string): Promise<AvsenderProfil> {
    const avsender = await this.#deps.config?.getAvsender(navn);
    const kontakt = avsender?.mottakerside?.kontakt;
    const logo = avsender?.mottakerside?.logo;
    return {
      navn: avsender?.forside.navn || navn,
      ...(kontakt === undefined ? {} : { kontakt }),
      ...(logo === undefined ? {} : { logo }),
      sprak: avsender?.mottakerside?.sprak ?? 'nb',
    };
  }

  /**
   * Records that the recipient downloaded document `index` whole; the last one makes the letter
   * LEST. Given the link's token, a download by an eksponertFor address records nothing.
   */
  async markDocumentDownloaded(state: ForsendelseState, index: number, token?: string): Promise<void> {
    if (token !== undefined && !this.isRecipientLink(state, token)) return;
    await this.#deps.actors.execute(state.id, { type: 'RegistrerDokumentNedlastet', at: this.#deps.now(), index });
  }

  /**
   * Records a part (`range`) of the recipient's download of the forsendelsesfil (`which`
   * 'fil') or of one document: once the parts sent cover the whole file, it counts as that
   * file downloaded whole (markRead, markDocumentDownloaded). Parts sent on other links (an
   * eksponertFor address) count for nothing.
   */
  async partServed(
    state: ForsendelseState,
    token: string,
    file: { readonly which: 'fil' | number; readonly sha256: string; readonly size: number },
    range: ServedRange,
  ): Promise<void> {
    if (!this.isRecipientLink(state, token)) return;
    const key = `${state.id}/${file.which}/${file.sha256}`;
    if (!(await this.#parts.add(key, range, file.size, this.#deps.now()))) return;
    if (file.which === 'fil') await this.markRead(state, token);
    else await this.markDocumentDownloaded(state, file.which, token);
  }

  /**
   * Records that the recipient has read the letter (LEST; docs/architecture.md step 7). Given
   * the link's token, a download by an eksponertFor address (not the recipient) records nothing.
   */
  async markRead(state: ForsendelseState, token?: string): Promise<void> {
    if (token !== undefined && !this.isRecipientLink(state, token)) return;
    await this.#deps.actors.execute(state.id, { type: 'MarkerLest', at: this.#deps.now() });
  }
}
