/**
 * One e-mail mailbox (RFC 5322 addr-spec, unquoted: what KRR and the admin web hold). A
 * notification goes to the address as given, and nodemailer reads `a@x.no, b@y.no` as two
 * recipients and `Navn <a@x.no>` as a display name: an address from KRR (a file or
 * KRR_URL) with a comma sent a level-3 link, which opens the letter without login, to a
 * second mailbox (review of 6 December 2026). Anything but one plain mailbox is refused.
 */

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, its address 254 characters. */
const MAX_LENGTH = 254;

/** local@domain with a dot in the domain; no white space, control characters, or the specials that list or quote. */
const MAILBOX =
  /^[^\s@,;:<>()[\]"\\\p{Cc}]+@[^\s@,;:<>()[\]"\\\p{Cc}]+\.[^\s@,;:<>()[\]"\\\p{Cc}.][^\s@,;:<>()[\]"\\\p{Cc}]*$/u;

/** True when `s` is exactly one plain e-mail address. */
export function isSingleMailbox(s: string): boolean {
  return s.length <= MAX_LENGTH && MAILBOX.test(s);
}
