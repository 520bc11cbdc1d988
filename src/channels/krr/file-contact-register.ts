/**
 * KRR from a JSON file in the shape of Digdir's lookup answer (`{"personer":[…]}`), for
 * development, tests and municipalities without a KRR agreement. The file is re-read when
 * it changes, so an operator can edit it without a restart:
 *
 * - every lookup compares the file's stamp (mtime, size, inode) with the loaded one, so a
 *   change is never missed, whether written in place or replaced by a rename (new inode);
 * - `watch()` also re-reads it as soon as it changes (fs.watch on the directory, which sees
 *   a rename over the file, unlike a watch on the file's own inode) and reports the
 *   outcome, so a broken edit shows in the log at once rather than at the next letter.
 *   Where fs.watch gives no events (some network and container mounts) the stamp check
 *   above still applies.
 */
import { watch as watchFs, type FSWatcher } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { KrrPerson } from '../../domain/channel-choice.js';
import { jsonSyntaxFault } from '../../domain/json-syntax.js';
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

/** How a FileContactRegister treats its file. */
export interface FileContactRegisterOptions {
  /**
   * A missing file means nobody is registered (the default DATA_DIR/krr.json, which may be
   * created later) instead of "KRR cannot be asked" (a KRR_FILE that was set).
   */
  readonly missingIsEmpty?: boolean;
}

/** The outcome of a re-read that `watch` reports. */
export type KrrReload = { readonly personer: number } | { readonly error: Error };

/** After a change event, wait this long for more (an editor's several writes) before re-reading. */
const WATCH_SETTLE_MS = 100;
const NOBODY: Loaded = { stamp: 'missing', index: new Map() };

/** A ContactRegister reading a KRR-shaped JSON file (KRR_FILE), reloaded when it changes. */
export class FileContactRegister implements ContactRegister {
  #loaded: Loaded | undefined;
  /** One reload at a time: concurrent lookups after an edit share it. */
  #reloading: Promise<Loaded> | undefined;

  constructor(
    readonly path: string,
    private readonly options: FileContactRegisterOptions = {},
  ) {}

  /**
   * Re-reads the file whenever it changes and reports each new version (or why it could
   * not be read). Returns the function that stops watching; a directory that cannot be
   * watched gives no reports (lookups still see every change).
   */
  watch(report: (outcome: KrrReload) => void): () => void {
    let watcher: FSWatcher;
    let timer: NodeJS.Timeout | undefined;
    let reported: Loaded | undefined = this.#loaded;
    const reread = (): void => {
      timer = undefined;
      this.#current().then(
        (loaded) => {
          if (loaded !== reported) report({ personer: loaded.index.size });
          reported = loaded;
        },
        (error: unknown) => {
          reported = undefined;
          report({ error: error instanceof Error ? error : new Error(String(error)) });
        },
      );
    };
    const name = basename(this.path);
    try {
      watcher = watchFs(dirname(this.path), { persistent: false }, (_event, filename) => {
        if (filename !== null && filename !== name) return;
        clearTimeout(timer);
        timer = setTimeout(reread, WATCH_SETTLE_MS);
        timer.unref();
      });
    } catch {
      return () => undefined;
    }
    // The directory removed or unreadable: stop; lookups go on checking the stamp.
    watcher.on('error', () => watcher.close());
    return () => {
      clearTimeout(timer);
      watcher.close();
    };
  }

  /** How many persons the file holds now; throws KrrUnavailableError when it cannot be read (a check at start). */
  async persons(): Promise<number> {
    return (await this.#current()).index.size;
  }

  /** The file's entry for `fnr`, or undefined when the file has none. */
  async lookup(fnr: string): Promise<KrrPerson | undefined> {
    const loaded = await this.#current();
    return loaded.index.get(fnr);
  }

  /** The index for the file as it is now, re-reading it only when its stamp changed. */
  async #current(): Promise<Loaded> {
    const stats = await this.#stat();
    if (stats === undefined) {
      this.#loaded = NOBODY;
      return NOBODY;
    }
    const stamp = stampOf(stats);
    if (this.#loaded?.stamp === stamp) return this.#loaded;
    if (this.#reloading === undefined) {
      this.#reloading = this.#load().finally(() => {
        this.#reloading = undefined;
      });
    }
    return this.#reloading;
  }

  /** The file's stamp; undefined when it is missing and that means nobody (missingIsEmpty). */
  async #stat(): Promise<FileStamp | undefined> {
    try {
      return await stat(this.path);
    } catch (err) {
      if (this.options.missingIsEmpty === true && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      // The cause's text is in the message (a job's last error shows only that), so it is not
      // passed as `cause` too: pino's error serializer would write it twice.
      throw new KrrUnavailableError(`Kan ikke lese KRR-filen ${this.path}: ${errorText(err)}`);
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
      throw new KrrUnavailableError(`Kan ikke lese KRR-filen ${this.path}: ${errorText(err)}`, undefined, {
        cause: err,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      // Where the fault is, never the text around it (V8's message quotes it): the file holds
      // persons' contact data, and this message is logged (found in review).
      throw new KrrUnavailableError(
        `KRR-filen ${this.path} er ikke gyldig JSON: ${jsonSyntaxFault(err as Error, raw)}`,
      );
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
