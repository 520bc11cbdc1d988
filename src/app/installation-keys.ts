/**
 * The installation's CMS keys (docs/interfaces.md "Encryption"): senders encrypt documents to
 * the current key's certificate (served at /forsendelse/publickey/hent), encrypted letters'
 * files are kept encrypted to it, and every key ever used still decrypts, so a rotation
 * never strands a letter. The keys live in the InstallationKeyStore that every node shares;
 * the first is created on first use by whichever node gets there first.
 */
import type { EnvelopeKey } from '../crypto/cms-envelope.js';
import type { PemKeyPair } from '../crypto/self-signed-key.js';
import type { InstallationKey, InstallationKeyStore } from '../storage/ports.js';

/** How long a node trusts its copy of the key list (a rotation elsewhere shows within this). */
const LIST_TTL_MS = 10_000;

/** What the key service is built from. */
export interface InstallationKeysDeps {
  readonly store: InstallationKeyStore;
  /** Makes a new key pair and self-signed certificate. */
  readonly generate: (commonName: string, now: number) => Promise<PemKeyPair>;
  /** The certificate's subject (CN). */
  readonly commonName: string;
  readonly now: () => number;
  /** A key given by the operator (CMS_CERT_FILE/CMS_KEY_FILE): always the current key, never generated. */
  readonly configured?: PemKeyPair;
}

/** The installation's keys: the current one, all for decryption, rotation. */
export class InstallationKeys {
  readonly #deps: InstallationKeysDeps;
  #cached: { readonly keys: InstallationKey[]; readonly at: number } | undefined;

  constructor(deps: InstallationKeysDeps) {
    this.#deps = deps;
  }

  /** Every key, oldest first; creates the first when there is none. `fresh` skips the node's copy. */
  async list(fresh = false): Promise<InstallationKey[]> {
    const now = this.#deps.now();
    if (!fresh && this.#cached !== undefined && now - this.#cached.at < LIST_TTL_MS) return this.#cached.keys;
    let keys = await this.#deps.store.list();
    for (let attempt = 0; !this.#complete(keys); attempt += 1) {
      if (attempt === 3) throw new Error('Installasjonsnøkkelen kunne ikke lagres: andre noder skrev samtidig');
      // The first key, or a configured key not stored yet: added as the next number (one node wins a race).
      await this.#add((keys.at(-1)?.nummer ?? 0) + 1, this.#deps.configured);
      keys = await this.#deps.store.list();
    }
    this.#cached = { keys, at: now };
    return keys;
  }

  /** True when `keys` hold a key, and the configured one if there is one. */
  #complete(keys: readonly InstallationKey[]): boolean {
    const configured = this.#deps.configured;
    if (configured === undefined) return keys.length > 0;
    return keys.some((k) => k.certificatePem === configured.certificatePem);
  }

  /** The key senders encrypt to and at-rest files are encrypted to: the configured one, else the newest. */
  async current(): Promise<InstallationKey> {
    const keys = await this.list();
    const configured = this.#deps.configured;
    const newest =
      configured === undefined ? keys.at(-1) : keys.find((k) => k.certificatePem === configured.certificatePem);
    if (newest === undefined) throw new Error('the installation has no key');
    return newest;
  }

  /** Every key for decryption, newest first. */
  async decryptionKeys(fresh = false): Promise<EnvelopeKey[]> {
    return [...(await this.list(fresh))].reverse();
  }

  /** Makes a new current key; the old ones stay for decryption. */
  async rotate(): Promise<InstallationKey> {
    if (this.#deps.configured !== undefined) {
      throw new Error(
        'Nøkkelen er satt med CMS_CERT_FILE/CMS_KEY_FILE: roter ved å bytte filene (den gamle nøkkelen beholdes for dekryptering)',
      );
    }
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const keys = await this.list(true);
      const key = await this.#add((keys.at(-1)?.nummer ?? 0) + 1);
      if (key !== undefined) {
        this.#cached = undefined;
        return key;
      }
    }
    throw new Error('Nøkkelrotasjon mislyktes: andre noder roterte samtidig');
  }

  /** Adds key `nummer` (`pair`, or a new one), or undefined when another node added that number first. */
  async #add(nummer: number, given?: PemKeyPair): Promise<InstallationKey | undefined> {
    const createdAt = this.#deps.now();
    const pair = given ?? (await this.#deps.generate(this.#deps.commonName, createdAt));
    const key = { nummer, ...pair, createdAt };
    return (await this.#deps.store.add(key)) ? key : undefined;
  }
}
