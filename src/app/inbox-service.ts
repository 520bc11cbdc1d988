/**
 * The recipients' inbox behind the door (docs/architecture.md steps 6–7): a link token resolves to its
 * letter only for the recipient it was made for, while the letter's files exist; a download
 * of the whole forsendelsesfil records the read. The door (src/http/inbox/) renders pages.
 */
import type { Readable } from 'node:stream';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import type { BlobRef } from '../domain/model.js';
import { mottakerIdOf } from '../domain/mottaker.js';
import { fromRecord } from '../domain/record.js';
import type { BlobStore, ByteRange, ReadModel } from '../storage/ports.js';
import type { InboxLinks } from './inbox-links.js';

/** What a link token opens: the letter, or why not. */
export type InboxOpening =
  | { readonly kind: 'brev'; readonly state: ForsendelseState }
  | { readonly kind: 'ugyldig'; readonly grunn: 'lenke' | 'ukjent-brev' | 'feil-mottaker' }
  | { readonly kind: 'utlopt' }
  | { readonly kind: 'slettet'; readonly slettetAt: number };

/** What the inbox service needs. */
export interface InboxServiceDeps {
  readonly links: InboxLinks;
  readonly readModel: Pick<ReadModel, 'get'>;
  readonly actors: Pick<ForsendelseActors, 'execute'>;
  readonly blobs: Pick<BlobStore, 'stream'>;
  readonly now: () => number;
  /**
   * The reply service's address for an organisation (svarPaForsendelseLink: the recipient
   * answers the orgnr in svarSendesTil, docs/interfaces.md §5); no reply link without it.
   */
  readonly svarUrl?: (orgnr: string) => string;
}

/** Opening letters by link, level-4 state, files and reads. */
export class InboxService {
  readonly #deps: InboxServiceDeps;

  constructor(deps: InboxServiceDeps) {
    this.#deps = deps;
  }

  /** The letter behind `token`, or why it cannot be opened. */
  async open(token: string): Promise<InboxOpening> {
    const { links } = this.#deps;
    const grant = links.verify(token, this.#deps.now());
    if (grant === 'ugyldig') return { kind: 'ugyldig', grunn: 'lenke' };
    if (grant === 'utlopt') return { kind: 'utlopt' };
    const record = await this.#deps.readModel.get(grant.forsendelseId);
    if (record === undefined) return { kind: 'ugyldig', grunn: 'ukjent-brev' };
    const state = fromRecord(record);
    if (!this.#isRecipient(state, grant.mottaker) && !this.#isExposedTo(state, grant.mottaker))
      return { kind: 'ugyldig', grunn: 'feil-mottaker' };
    if (state.dokumenterSlettetAt !== undefined) return { kind: 'slettet', slettetAt: state.dokumenterSlettetAt };
    return { kind: 'brev', state };
  }

  /** True when `key` (a link's keyed recipient hash) is the letter's recipient. */
  #isRecipient(state: ForsendelseState, key: string): boolean {
    return this.#deps.links.recipientKey(mottakerIdOf(state.input.mottaker?.digitalAdresse)) === key;
  }

  /** True when `key` is one of the digital addresses the letter is also exposed to (eksponertFor, docs/interfaces.md §6). */
  #isExposedTo(state: ForsendelseState, key: string): boolean {
    return (state.input.eksponertFor ?? []).some(
      (adresse) => key !== '' && this.#deps.links.recipientKey(mottakerIdOf(adresse)) === key,
    );
  }

  /** True when `token` is a link of the letter's recipient (not of an eksponertFor address). */
  isRecipientLink(state: ForsendelseState, token: string): boolean {
    const grant = this.#deps.links.verify(token, this.#deps.now());
    return typeof grant !== 'string' && this.#isRecipient(state, grant.mottaker);
  }

  /** Where the recipient may answer the letter (svarPaForsendelseLink with an orgnr in svarSendesTil), if anywhere. */
  svarLenke(state: ForsendelseState): string | undefined {
    const svarTil = state.input.svarSendesTil?.digitalAdresse;
    if (!state.input.svarPaForsendelseLink || svarTil?.type !== 'organisasjon' || this.#deps.svarUrl === undefined)
      return undefined;
    return this.#deps.svarUrl(svarTil.orgnr);
  }

  /** True when the letter may be read with this level-4 proof (the signed cookie value); letters without the requirement always. */
  isVerified(state: ForsendelseState, token: string, proof: string | undefined): boolean {
    return !state.input.krevNiva4Innlogging || this.#deps.links.unsign(proof ?? '') === token.slice(-43);
  }

  /** The level-4 proof for `token` after a right one-time code (kept by the browser). */
  proofFor(token: string): string {
    return this.#deps.links.sign(token.slice(-43));
  }

  /** The one-time code for `token` now, to send by SMS. */
  oneTimeCode(token: string): string {
    return this.#deps.links.oneTimeCode(token, this.#deps.now());
  }

  /** True when `kode` is a valid one-time code for `token` now. */
  checkOneTimeCode(token: string, kode: string): boolean {
    return this.#deps.links.checkOneTimeCode(token, kode, this.#deps.now());
  }

  /** Streams (a range of) one of the letter's files. */
  stream(blob: BlobRef, range?: ByteRange): Promise<Readable> {
    return this.#deps.blobs.stream(blob.sha256, range);
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
