/**
 * Service passwords and admin passwords: scrypt hashes (`scrypt$N$r$p$salt$hash`, base64),
 * verified in constant time. Service passwords are checked on every SOAP/REST call, so a
 * small cache of recently verified credentials (keyed by an HMAC, never the password)
 * keeps scrypt off the hot path.
 */
import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

/**
 * scrypt keys its inner PBKDF2-HMAC with the password, and HMAC pads a short key with zero
 * bytes: "secret" and "secret\0" give the same hash. A password with a NUL byte is thus
 * never set and never accepted, so the bytes that match are exactly the bytes that were set.
 */
export function hasNulByte(password: string): boolean {
  return password.includes('\0');
}

/** Hashes a password for storage (one with a NUL byte is refused: see hasNulByte). */
export async function hashPassword(password: string): Promise<string> {
  if (hasNulByte(password)) throw new Error('Passordet kan ikke inneholde NUL-tegn');
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when `password` matches `stored`. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (hasNulByte(password)) return false;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let unknownUserHash: Promise<string> | undefined;

/**
 * Starts making the hash `verifyUnknownUser` checks against, once per process: the hash of
 * a random password nobody knows. Called where a door is set up, so that the first unknown
 * name does not wait for two scrypt runs, whose time alone would tell that it does not exist.
 */
export function prepareUnknownUserHash(): Promise<string> {
  const hash = (unknownUserHash ??= hashPassword(randomBytes(32).toString('base64url')));
  // A failed hash (no memory for scrypt) is not kept: the next caller tries again.
  hash.catch(() => {
    if (unknownUserHash === hash) unknownUserHash = undefined;
  });
  return hash;
}

/**
 * The password check for a name that does not exist: as long as a wrong password for one
 * that does (one scrypt with the same parameters), and never true. Without it an unknown
 * name is answered at once and a known one after ~50 ms, so anyone could list account
 * names by timing the 401s (and they are half of every credential).
 */
export async function verifyUnknownUser(password: string): Promise<false> {
  await verifyPassword(password, await prepareUnknownUserHash());
  return false;
}

/** A fresh service password: 32 random bytes, URL-safe base64 (shown once, stored hashed). */
export function generateServicePassword(): string {
  return randomBytes(32).toString('base64url');
}

/** Remembers verified (user, password, hash) triples for a while, keyed by an HMAC. */
export class VerifiedCredentialCache {
  private readonly secret = randomBytes(32);
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  private key(user: string, password: string, hash: string): string {
    return createHmac('sha256', this.secret)
      .update(user)
      .update('\0')
      .update(password)
      .update('\0')
      .update(hash)
      .digest('base64');
  }

  /** True if this triple was verified less than ttl ago. */
  has(user: string, password: string, hash: string, now: number): boolean {
    const until = this.entries.get(this.key(user, password, hash));
    return until !== undefined && until > now;
  }

  /** Records a successful verification. */
  add(user: string, password: string, hash: string, now: number): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(this.key(user, password, hash), now + this.ttlMs);
  }

  /** Verifications under way, by key: concurrent misses of one triple share one. */
  private readonly running = new Map<string, Promise<boolean>>();

  /**
   * True when the triple was verified less than ttl ago, else the outcome of `verify`
   * (recorded when true). Requests that miss at once share one `verify`: when an entry
   * expires under load, the sends in flight wait for one scrypt instead of each running
   * its own on libuv's four threads (bench/README.md, the c = 64 tail); and one in use is
   * verified again before it expires.
   */
  async verifyOnce(
    user: string,
    password: string,
    hash: string,
    now: number,
    verify: () => Promise<boolean>,
  ): Promise<boolean> {
    const key = this.key(user, password, hash);
    const until = this.entries.get(key);
    if (until !== undefined && until > now) {
      // In the last fifth of its ttl, a triple in use is verified again in the background,
      // so one that is used all the time never expires in the middle of a burst.
      if (until - now < this.ttlMs / 5 && !this.running.has(key))
        this.start(key, user, password, hash, now, verify).catch(() => undefined);
      return true;
    }
    return this.running.get(key) ?? this.start(key, user, password, hash, now, verify);
  }

  private start(
    key: string,
    user: string,
    password: string,
    hash: string,
    now: number,
    verify: () => Promise<boolean>,
  ): Promise<boolean> {
    const running = verify().then((ok) => {
      if (ok) this.add(user, password, hash, now);
      return ok;
    });
    this.running.set(key, running);
    void running.then(
      () => this.running.delete(key),
      () => this.running.delete(key),
    );
    return running;
  }
}
