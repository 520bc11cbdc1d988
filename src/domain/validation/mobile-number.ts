/**
 * One mobile number to notify, as KRR holds it (E.164, "+4799999999"; spaces between digit
 * groups read past). An SMS goes to the number as given: a KRR value with a comma or a line
 * break in it ("+4799999999\r\n&to=+4712345678") reached the SMS gateway's `to` and the outbox
 * file's header as it was, and could carry a level-3 link, which opens the letter without
 * login, to a second phone (review of 8 December 2026), as an e-mail address with a comma did
 * (mailbox.ts). Anything but one plain number is not used.
 */

/** ITU-T E.164: at most 15 digits; 8 is the length of a Norwegian number without country code. */
const NUMBER = /^\+?\d{8,15}$/;

/** The number in `raw` when it is exactly one plain mobile number (spaces removed), else undefined. */
export function singleMobileNumber(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const number = raw.trim().replace(/ /g, '');
  return NUMBER.test(number) ? number : undefined;
}
