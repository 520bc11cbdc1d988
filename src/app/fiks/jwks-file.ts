/**
 * A JWKS in a file the operator maintains (MASKINPORTEN_JWKS / FIKSPORTEN_JWKS as a path),
 * followed as it changes, so that a key removed from the file is refused without a restart
 * (docs/interfaces.md "REST v2 and v3"):
 *
 * - at most once per `recheckMs` a verification stats the file and re-reads it when its stamp
 *   (mtime, size, inode) differs from the one the keys came from; in between the keys are
 *   used as they are, so a busy door does not stat on every request;
 * - a file changed shortly before it was read is read again at the next check even with the
 *   same stamp: file times are coarse (milliseconds on Linux, up to seconds elsewhere), and a
 *   second write of the same size within one tick would otherwise go unseen — a revoked key
 *   kept;
 * - a file that cannot be read or holds no valid JWKS keeps the last good keys, so a broken
 *   edit does not lock every caller out, and is reported once through `onError`;
 * - `reload()` (a token named a key the set lacks, perhaps just added) checks at once and
 *   throws what it cannot read, so such a token is answered 503, not 401.
 */
import { open, stat } from 'node:fs/promises';
import { createLocalJWKSet, type JWK } from 'jose';

/** The keys of one version of the file. */
export type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/** How a JwksFile follows its file. */
export interface JwksFileOptions {
  /** The least time between two looks at the file, in ms (default 1 s). */
  readonly recheckMs?: number;
  /** The file could not be read or is no JWKS; the last good keys are still used. Once per problem. */
  readonly onError?: (err: unknown) => void;
}

/** What identifies one version of the file without reading it. */
interface FileStamp {
  readonly mtimeMs: number;
  readonly size: number;
  readonly ino: number;
}

interface Loaded {
  readonly keys: LocalKeySet;
  readonly stamp: string;
  /** Written long enough before it was read that a later write must change the stamp. */
  readonly settled: boolean;
}

const RECHECK_MS = 1_000;
/** Coarser than any file system's time stamps we expect (FAT's is 2 s). */
const SETTLE_MS = 3_000;

/** A JWKS file, re-read when it changes. */
export class JwksFile {
  #loaded: Loaded | undefined;
  #checkedAt = -Infinity;
  /** One look at a time: the requests arriving meanwhile share it. */
  #checking: Promise<LocalKeySet> | undefined;
  /** The problem last reported, so a file that stays broken is logged once, not every second. */
  #reported: string | undefined;

  constructor(
    readonly path: string,
    private readonly options: JwksFileOptions = {},
  ) {}

  /** The keys to verify with now; the first call reads the file and throws when it cannot. */
  async keys(): Promise<LocalKeySet> {
    const loaded = this.#loaded;
    if (loaded === undefined) return this.reload();
    if (performance.now() - this.#checkedAt < (this.options.recheckMs ?? RECHECK_MS)) return loaded.keys;
    try {
      return await this.#check();
    } catch (err) {
      this.#report(err);
      return this.#loaded?.keys ?? loaded.keys;
    }
  }

  /** Looks at the file now; throws when it cannot be read (the keys known are kept). */
  reload(): Promise<LocalKeySet> {
    return this.#check();
  }

  #check(): Promise<LocalKeySet> {
    // Counted from the start, so a broken file is looked at once per interval, not per request.
    this.#checkedAt = performance.now();
    this.#checking ??= this.#refresh().finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  async #refresh(): Promise<LocalKeySet> {
    const loaded = this.#loaded;
    if (loaded?.settled === true && stampOf(await stat(this.path)) === loaded.stamp) return loaded.keys;
    const readAt = Date.now();
    let stats: FileStamp;
    let text: string;
    // The stamp from the open handle, so it is that of the bytes read even if the file is replaced meanwhile.
    const handle = await open(this.path, 'r');
    try {
      stats = await handle.stat();
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
    const keys = createLocalJWKSet(JSON.parse(text) as { keys: JWK[] });
    this.#loaded = { keys, stamp: stampOf(stats), settled: readAt - stats.mtimeMs > SETTLE_MS };
    this.#reported = undefined;
    return keys;
  }

  #report(err: unknown): void {
    const problem = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (problem === this.#reported) return;
    this.#reported = problem;
    this.options.onError?.(err);
  }
}

/** "mtime:size:inode". */
function stampOf(s: FileStamp): string {
  return `${s.mtimeMs}:${s.size}:${s.ino}`;
}
