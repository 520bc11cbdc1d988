/**
 * KRR from a JSON file in the shape of Digdir's lookup answer (`{"personer":[…]}`), for
 * development, tests and municipalities without a KRR agreement. The file is re-read when
 * it changes (mtime, size or inode), so an operator can edit it without a restart.
 */
import { open, stat } from 'node:fs/promises';
import type { KrrPerson } from '../../domain/channel-choice.js';
import { type ContactRegister, KrrUnavailableError } from './contact-register.js';
import { parseKrrResponse } from './krr-response.js';

/** What identifies one version of the file without reading it. */
interface FileStamp {
  readonly mtimeMs: number;
  readonly size: number;
  readonly ino: number;
}

interface Loaded {
  readonly stamp: string;
  readonly index: ReadonlyMap<string, KrrPerson>;
}

/** A ContactRegister reading a KRR-shaped JSON file (KRR_FILE), reloaded when it changes. */
export class FileContactRegister implements ContactRegister {
  #loaded: Loaded | undefined;
  /** One reload at a time: concurrent lookups after an edit share it. */
  #reloading: Promise<Loaded> | undefined;

  constructor(readonly path: string) {}

  /** The file's entry for `fnr`, or undefined when the file has none. */
  async lookup(fnr: string): Promise<KrrPerson | undefined> {
    const loaded = await this.#current();
    return loaded.index.get(fnr);
  }

  /** The index for the file as it is now, re-reading it only when its stamp changed. */
  async #current(): Promise<Loaded> {
    const stamp = stampOf(await this.#stat());
    if (this.#loaded?.stamp === stamp) return this.#loaded;
    if (this.#reloading === undefined) {
      this.#reloading = this.#load().finally(() => {
        this.#reloading = undefined;
      });
    }
    return this.#reloading;
  }

  async #stat(): Promise<FileStamp> {
    try {
      return await stat(this.path);
    } catch (err) {
      throw new KrrUnavailableError(`Kan ikke lese KRR-filen ${this.path}: ${errorText(err)}`, undefined, { cause: err });
    }
  }

  /** Reads and indexes the file; the stamp is taken from the open handle, so it matches the bytes read. */
  async #load(): Promise<Loaded> {
    let raw: string;
    let stamp: string;
    try {
      const handle = await open(this.path, 'r');
      try {
        stamp = stampOf(await handle.stat());
        raw = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (err) {
      throw new KrrUnavailableError(`Kan ikke lese KRR-filen ${this.path}: ${errorText(err)}`, undefined, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new KrrUnavailableError(`KRR-filen ${this.path} er ikke gyldig JSON: ${errorText(err)}`, undefined, { cause: err });
    }
    const personer = parseKrrResponse(json, `KRR-filen ${this.path}`);
    const index = new Map<string, KrrPerson>();
    personer.forEach((p, i) => {
      // Two entries for one person make the answer ambiguous; the position, not the
      // fødselsnummer, goes in the message because it ends up in logs.
      if (index.has(p.personidentifikator)) {
        throw new KrrUnavailableError(
          `KRR-filen ${this.path}: personer[${i}].personidentifikator finnes også tidligere i filen`,
        );
      }
      index.set(p.personidentifikator, p);
    });
    const loaded = { stamp, index };
    this.#loaded = loaded;
    return loaded;
  }
}

/** "mtime:size:inode". */
function stampOf(s: FileStamp): string {
  return `${s.mtimeMs}:${s.size}:${s.ino}`;
}

/** The message of an unknown thrown value. */
function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
