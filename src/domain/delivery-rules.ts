/**
 * The delivery rules, each written once: the decider, the pending work, the jobs and the
 * admin web ask these instead of re-deriving them from the state's fields, so a rule
 * changed here changes everywhere at once.
 */
import { isFinal, type ForsendelseState } from './forsendelse-state.js';
import { hasNotificationAddress } from './notification-address.js';
import type { StoredDokument } from './model.js';
import type { PrintLeverandor } from './print-receipt.js';
import { isPdfMimetype } from './validation/document-rules.js';

/**
 * True while a digitally routed letter still waits for its notification (and is not closed),
 * its documents kept: a notice for deleted ones leads to a page saying so (found in review).
 * A notice already under way (VarslingStartet) is finished: the deletion came too late to stop
 * it, and the letter ends at its print deadline as any deleted one that was notified.
 */
export function needsNotification(state: ForsendelseState): boolean {
  return unnotifiedDigital(state) && (state.dokumenterSlettetAt === undefined || state.varslingStartetAt !== undefined);
}

/** A digitally routed letter not notified yet, not closed and not ordered to print. */
function unnotifiedDigital(state: ForsendelseState): boolean {
  return (
    state.kanal === 'digital' && state.varsletAt === undefined && state.printBestiltAt === undefined && !isFinal(state)
  );
}

/**
 * True for a digital letter whose documents were deleted before it was notified: nobody can
 * open it and it cannot go on paper, so deleting them ends it IKKE_LEVERT (UtskriftAvbrutt),
 * as one due for print is (found in review: it was notified after the deletion, with a link to
 * a page saying the letter is gone, and ended only at its print deadline).
 */
export function notificationStopped(state: ForsendelseState): boolean {
  return unnotifiedDigital(state) && state.dokumenterSlettetAt !== undefined && state.varslingStartetAt === undefined;
}

/**
 * True while an unread letter waits for its print deadline: notified (VARSLET), or still
 * being notified after a failed attempt started the deadline (a full mailbox, an SMS gateway
 * that is down: the retries go on, and at the deadline the letter goes on paper instead, the
 * notification stopped). Never for kunDigitalLevering, nor once print is ordered.
 */
export function awaitsPrintDeadline(state: ForsendelseState): boolean {
  if (state.printBestiltAt !== undefined || state.lestAt !== undefined || state.input.kunDigitalLevering) return false;
  if (state.status === 'VARSLET') return true;
  return (
    state.status === 'AKSEPTERT' &&
    state.kanal === 'digital' &&
    state.varsletAt === undefined &&
    state.fristAt !== undefined
  );
}

/**
 * True while a letter lacks the digital file its channel needs now: the inbox serves it, so
 * it is built before the recipient is notified. Each letter is composed for the file its
 * channel needs (docs/architecture.md step 4): on acceptance, the digital file for the inbox
 * or the print copy for paper at once; in the print job, the print copy of a digital letter
 * left unread; and here, the digital file of a letter accepted without one (a receiving
 * system's) that came to need it. Purged documents build nothing.
 */
export function needsDigitalFile(state: ForsendelseState): boolean {
  return state.forsendelsesfil === undefined && state.dokumenterSlettetAt === undefined && needsNotification(state);
}

/**
 * True for a letter its sender set read (settLest, setForsendelseLestAvEksterntSystem) before
 * it was accepted: its acceptance makes it LEST, with no channel (decide drops the channel
 * choice), so no file is built and nothing is handed to print for it.
 */
export function readBeforeAcceptance(state: ForsendelseState): boolean {
  return state.status === 'MOTTATT' && state.lestAt !== undefined;
}

/** Longest reason a person gives for closing a letter by hand. */
export const MAX_MANUELL_GRUNN = 1000;

/**
 * True while a person may close the letter by hand (MANUELT_HANDTERT): not once it has reached
 * its recipient (LEST, PRINTET), was refused (AVVIST) or was closed by hand already, since that
 * would hide from the sender's system that it was read or printed.
 */
export function mayBeHandledManually(state: ForsendelseState): boolean {
  return !['LEST', 'PRINTET', 'AVVIST', 'MANUELT_HANDTERT'].includes(state.status);
}

/**
 * True for a letter whose documents its sender deleted before it was accepted (still
 * MOTTATT, not set read): no file can be built from them and nothing delivered, so it ends
 * IKKE_LEVERT (EkspederingAvbrutt) rather than be composed, handed to print from a copy built
 * just before, or retried for days on documents that are gone (found in review). Deleting the
 * documents ends it so; this holds only for one left so by a version before that rule (7
 * December 2026), which its compose job ends.
 */
export function deletedBeforeAcceptance(state: ForsendelseState): boolean {
  return state.status === 'MOTTATT' && state.dokumenterSlettetAt !== undefined && state.lestAt === undefined;
}

/** True while a letter's print is ordered (reserved, no digital address, deadline) and not yet sent, the letter not closed. */
function printPending(state: ForsendelseState): boolean {
  return state.printBestiltAt !== undefined && state.sendtPrintAt === undefined && !isFinal(state);
}

/**
 * True while a letter is due for print and not yet sent there, with its documents still
 * kept: a letter whose sender deleted them is not printed (printStopped), where it was
 * printed in full whenever another letter held the same bytes, and its print job failed for
 * days when none did (review of 6 December 2026).
 */
export function needsPrint(state: ForsendelseState): boolean {
  return printPending(state) && state.dokumenterSlettetAt === undefined;
}

/**
 * True when a print hand-over that is done may be recorded (RegistrerSendtPrint): while the
 * letter needs print, and for one whose hand-over was under way (UtskriftStartet), whatever
 * happened meanwhile (read, closed by hand, its documents deleted): the copy is with the
 * provider, so the letter was sent to print. A run that starts after such a change hands
 * nothing over (needsPrint), so a letter closed by hand while its drop failed is not printed
 * again when the drop works (docs/operations.md, incidents). Not for the manual queue (below).
 */
export function mayRecordPrintHandOver(state: ForsendelseState, leverandor: PrintLeverandor): boolean {
  if (state.sendtPrintAt !== undefined) return false;
  // The manual queue holds nothing: its "hand-over" is this record, which puts the letter in
  // the queue, so a letter read or deleted meanwhile is left out of it.
  if (leverandor === 'manual') return needsPrint(state);
  return needsPrint(state) || state.utskriftStartetAt !== undefined;
}

/**
 * True for a letter that was to go on paper (its print ordered, not yet sent) whose documents
 * are deleted: it cannot be printed, so it ends IKKE_LEVERT (UtskriftAvbrutt). Deleting the
 * documents ends it so; this holds only for one left so by a version before that rule, which
 * its pending purge ends.
 */
export function printStopped(state: ForsendelseState): boolean {
  return printPending(state) && state.dokumenterSlettetAt !== undefined;
}

/**
 * True while a notified letter may be reminded of (REMINDER_BEFORE): unread, not reminded
 * yet, its documents kept (a reminder would lead to a page saying they are deleted), and,
 * at `now` when given, before its print deadline (a late reminder would ask the recipient to
 * read a letter that is being printed).
 */
export function needsReminder(state: ForsendelseState, now?: number): boolean {
  return (
    state.status === 'VARSLET' &&
    state.paminnetAt === undefined &&
    state.lestAt === undefined &&
    state.dokumenterSlettetAt === undefined &&
    (now === undefined || state.fristAt === undefined || now < state.fristAt)
  );
}

export { hasNotificationAddress };

/**
 * True when the letter was notified digitally at an address, so there is a notification a
 * person may send again. A letter that went to the inbox with no address to notify (an
 * organisation whose avsender has no organisation e-mail) has none: the admin web offers no
 * resend that could only fail.
 */
export function mayResendNotification(state: ForsendelseState): boolean {
  return whyNoResend(state) === undefined;
}

/**
 * Why there is no notification to send again, in the words the decider, the admin web's
 * route and its page all use; undefined when there is one (mayResendNotification).
 */
export function whyNoResend(state: ForsendelseState): string | undefined {
  if (state.kanal !== 'digital' || state.varsletAt === undefined) return 'Forsendelsen er ikke varslet digitalt';
  // Closed by a clerk, or its files deleted: a new notice would send the recipient to a
  // letter nobody is to act on, or to nothing (found in review).
  if (state.status === 'MANUELT_HANDTERT')
    return 'Forsendelsen er manuelt håndtert, så det er ikke noe varsel å sende på nytt';
  if (state.dokumenterSlettetAt !== undefined)
    return 'Dokumentene i forsendelsen er slettet, så det er ikke noe å varsle om';
  return hasNotificationAddress(state) ? undefined : 'Forsendelsen har ingen varslingsadresse';
}

/** True while the letter is routed to its receiving system (SvarInn) and not yet acknowledged or sent on. */
export function inSvarInn(state: ForsendelseState): boolean {
  return state.status === 'KLAR_FOR_MOTTAK' && state.kanal === 'svarinn' && state.mottakersystem !== undefined;
}

/**
 * True while the letter waits in SvarInn for its receiving system (listed, downloadable).
 * Once its files are deleted (the sender's slettFiler) there is nothing left to fetch: it is
 * no longer listed, and no download is taken for it.
 */
export function awaitsSvarInn(state: ForsendelseState): boolean {
  return inSvarInn(state) && state.dokumenterSlettetAt === undefined;
}

/**
 * True while the receiving system may acknowledge the letter (kvitterMottak): it waits in
 * SvarInn, or the system downloaded it before the sender deleted its files. The
 * acknowledgement is about receipt, not about files still kept: a system that took the
 * letter and then acknowledges it gets 200 and the letter becomes LEST, as KS's receiver
 * client requires. A letter nobody fetched ends when its files go (strandedInSvarInn).
 */
export function mayAcknowledgeSvarInn(state: ForsendelseState): boolean {
  return (
    awaitsSvarInn(state) ||
    ((inSvarInn(state) || abortedInSvarInn(state)) && state.hentetAvMottakersystemAt !== undefined)
  );
}

/**
 * True while a finished download of the letter is to be recorded: it waits in SvarInn, or it
 * was ended (MottakAvbrutt) while that download was under way. A download begins only while
 * the files are there and is recorded once its last byte has gone, so one recorded after the
 * letter ended began before its files were deleted: the system has the letter, and its
 * acknowledgement makes it LEST (found in review: the sender was told IKKE_LEVERT and the
 * archive's kvitterMottak got 404 for a letter it held).
 */
export function mayRecordSvarInnDownload(state: ForsendelseState): boolean {
  // Once, and again after a temporary failure: the system's next download is the one it holds
  // (found in review: a second download went unrecorded, and a deletion after it ended a letter
  // the archive had).
  return !heldBySvarInnSystem(state) && (awaitsSvarInn(state) || abortedInSvarInn(state));
}

/** True for a letter MottakAvbrutt ended: IKKE_LEVERT while its channel is still SvarInn. */
function abortedInSvarInn(state: ForsendelseState): boolean {
  return (
    state.status === 'IKKE_LEVERT' &&
    state.kanal === 'svarinn' &&
    state.mottakersystem !== undefined &&
    state.mottakKvittertAt === undefined
  );
}

/**
 * True for a letter left in SvarInn that can never be received: its files are deleted and
 * its receiving system never downloaded it, or said after downloading that it could not take
 * it in. Deleting them ends such a letter IKKE_LEVERT (MottakAvbrutt, docs/interfaces.md §11),
 * so this holds only for a letter whose files were deleted before that rule; its pending
 * purge ends it.
 */
export function strandedInSvarInn(state: ForsendelseState): boolean {
  return inSvarInn(state) && state.dokumenterSlettetAt !== undefined && !heldBySvarInnSystem(state);
}

/**
 * True when the receiving system downloaded the letter and has not said since that it could
 * not take it in: a temporary mottakFeilet after the download means it would fetch it again,
 * which it cannot once the files are gone (found in review: such a letter stayed
 * KLAR_FOR_MOTTAK, unlisted, for good).
 */
function heldBySvarInnSystem(state: ForsendelseState): boolean {
  const hentet = state.hentetAvMottakersystemAt;
  if (hentet === undefined) return false;
  const feilet = state.mottakFeiletMidlertidig?.at;
  return feilet === undefined || feilet < hentet;
}

/**
 * True for a document the forsendelsesfil holds (cover page + documents): a PDF, an encrypted
 * one once intake has checked it (BlobRef.cms; a letter taken before intake decrypted has
 * unchecked CMS blobs). Any other (a .docx for a digital-only letter) the recipient downloads
 * by itself, so downloading the forsendelsesfil does not read it.
 */
export function inForsendelsesfil(state: ForsendelseState, d: StoredDokument): boolean {
  return isPdfMimetype(d.mimetype) && (!state.input.kryptert || d.blob.cms !== undefined);
}
