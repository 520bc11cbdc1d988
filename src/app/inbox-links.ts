/**
 * Links in notifications (issue: unguessable, expiring, bound to the recipient, no
 * fødselsnummer). A link is `<payload>.<mac>`: the payload names the forsendelse, a keyed
 * hash of the recipient and the expiry; the HMAC makes it unforgeable. Nothing is stored,
 * so every node of a cluster (sharing the secret) accepts every link.
 *
 * Key ring: new links are made with the current secret; links made with a previous one
 * (SECRET_PREVIOUS, after rotating SECRET) are still accepted, so links already sent work
 * for their whole lifetime. The recipient hash inside a link is checked with the key that
 * made it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a valid link grants. */
export interface InboxGrant {
  readonly forsendelseId: string;
  /** Keyed hash of the recipient's fnr/orgnr ('' when none). */
  readonly mottaker: string;
  /** Epoch ms after which the link no longer works. */
  readonly expiresAt: number;
  /** Which key of the ring signed the link: 0 the current one, 1… the previous ones. */
  readonly key?: number;
}

/** Why a link is refused. */
export type LinkRefusal = 'ugyldig' | 'utlopt';

/** Makes inbox links with the current secret and checks them with every secret of the ring. */
export class InboxLinks {
  readonly #keys: readonly Uint8Array[];

  /** `secret` signs; `previous` secrets (newest first) are still accepted. */
  constructor(secret: Uint8Array, previous: readonly Uint8Array[] = []) {
    this.#keys = [secret, ...previous];
  }

  private mac(data: string, key = 0): Buffer {
    return createHmac('sha256', this.#keys[key] ?? this.#keys[0]!)
      .update(data)
      .digest();
  }

  /** A keyed hash of a recipient id, so links and pages never carry the number itself. */
  recipientKey(mottakerId: string | undefined, key = 0): string {
    return mottakerId === undefined
      ? ''
      : this.mac(`mottaker:${mottakerId}`, key).subarray(0, 12).toString('base64url');
  }

  /** True when the grant's link was made for the recipient `mottakerId` (with the key that signed it). */
  isFor(grant: InboxGrant, mottakerId: string | undefined): boolean {
    return this.recipientKey(mottakerId, grant.key ?? 0) === grant.mottaker;
  }

  /** Index of the ring's key whose MAC of `data` is `given`, or -1. */
  private signedBy(data: string, given: Buffer): number {
    return this.#keys.findIndex((_, key) => {
      const expected = this.mac(data, key);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }

  /** The token for a recipient's link to a forsendelse. */
  token(grant: InboxGrant): string {
    const payload = Buffer.from(JSON.stringify([grant.forsendelseId, grant.mottaker, grant.expiresAt])).toString(
      'base64url',
    );
    return `${payload}.${this.mac(`link:${payload}`).toString('base64url')}`;
  }

  /** The grant of a token, or why it is refused. */
  verify(token: string, now: number): InboxGrant | LinkRefusal {
    const grant = this.read(token);
    if (grant === undefined) return 'ugyldig';
    return now > grant.expiresAt ? 'utlopt' : grant;
  }

  /** The grant a token was signed with, expired or not; undefined when it is no link of ours. */
  read(token: string): InboxGrant | undefined {
    const [payload, mac, extra] = token.split('.');
    if (payload === undefined || mac === undefined || extra !== undefined) return undefined;
    // Node's base64url decoder skips characters outside the alphabet, padding and the
    // unused low bits of the last character: `mac!!`, `mac=` or a last character with other
    // padding bits decode to the same bytes. Only the one canonical spelling is the link.
    if (!isCanonicalBase64url(payload) || !isCanonicalBase64url(mac)) return undefined;
    const key = this.signedBy(`link:${payload}`, Buffer.from(mac, 'base64url'));
    if (key < 0) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
    const [forsendelseId, mottaker, expiresAt] = parsed as [unknown, unknown, unknown];
    if (typeof forsendelseId !== 'string' || typeof mottaker !== 'string' || typeof expiresAt !== 'number')
      return undefined;
    return { forsendelseId, mottaker, expiresAt, key };
  }

  /**
   * A one-time code for level-4 letters (krevNiva4Innlogging), derived from the token, a
   * 10-minute window and the letter's code generation (how many of its codes were used,
   * InboxService), so it needs no storage of its own; the previous window is accepted too.
   */
  oneTimeCode(token: string, now: number, generation = 0, windowOffset = 0, key = 0): string {
    const window = Math.floor(now / 600_000) + windowOffset;
    // Generation 0 keeps the input codes had before generations (codes sent before an upgrade still work).
    const input = generation === 0 ? `otp:${token}:${window}` : `otp:${token}:${window}:${generation}`;
    const n = this.mac(input, key).readUInt32BE(0) % 1_000_000;
    return String(n).padStart(6, '0');
  }

  /** True when `code` is this or the previous window's code of `generation` for `token`. */
  checkOneTimeCode(token: string, code: string, now: number, generation = 0): boolean {
    // Anything but six digits is wrong (and would make timingSafeEqual throw on the length).
    if (!/^[0-9]{6}$/.test(code.trim())) return false;
    const given = Buffer.from(code.trim());
    // A code sent just before SECRET was rotated still works (any key of the ring).
    return this.#keys.some((_, key) =>
      [0, -1].some((o) => timingSafeEqual(given, Buffer.from(this.oneTimeCode(token, now, generation, o, key)))),
    );
  }

  /** A signed value for a cookie (e.g. "code verified for this token"). */
  sign(value: string, key = 0): string {
    return `${value}.${this.mac(`cookie:${value}`, key).toString('base64url')}`;
  }

  /** The value of a signed cookie, or undefined if tampered with. */
  unsign(signed: string): string | undefined {
    const at = signed.lastIndexOf('.');
    if (at < 0) return undefined;
    const value = signed.slice(0, at);
    return this.#keys.some((_, key) => this.sign(value, key) === signed) ? value : undefined;
  }
}

/** True when `text` is exactly how Node writes its bytes in base64url (alphabet only, no padding, zero padding bits). */
export function isCanonicalBase64url(text: string): boolean {
  return text !== '' && /^[A-Za-z0-9_-]+$/.test(text) && Buffer.from(text, 'base64url').toString('base64url') === text;
}
