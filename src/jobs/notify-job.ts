/**
 * Job `notify` (docs/architecture.md step 6): e-mail and/or SMS with an expiring link to the inbox,
 * then VARSLET with the print deadline. One notification per forsendelse, also across
 * retries, restarts and a node killed mid-send:
 * - the intent (VarslingStartet) is journaled first;
 * - the e-mail's EpostOverfores is journaled after the SMTP server has taken the envelope and
 *   before the first byte of content (EmailMessage.beforeTransfer). A run cut off before it
 *   sent nothing, so the next run sends; a run cut off after it may have sent, so the e-mail
 *   is never sent again and the letter is recorded as notified "usikker". Only a kill between
 *   the marker being stored and the content leaving can thus leave a letter without e-mail
 *   (docs/cluster.md); the deadline still brings it on paper. The marker is also the claim: of two runs, one sends.
 *   The embedded outbox (no SMTP_URL) is idempotent, one file per Message-ID, so there a run
 *   after the marker writes the e-mail again: a kill there lost e-mails in the kill -9 audit;
 * - SMS carries an idempotency key, so the gateway drops a resend;
 * - a failure the server answered is journaled and retried, without the channels it delivered.
 */
import { isRetryable } from '../channels/channel-error.js';
import { NotificationError } from '../channels/notify/notification-error.js';
import { sendExposedVarsler } from '../app/exposed-varsel.js';
import { failureForHistory, sendVarsel, VarselFailed, varselErrors } from '../app/varsel.js';
import { needsNotification, needsReminder, notificationStopped } from '../domain/delivery-rules.js';
import { NotFoundError } from '../domain/errors.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import type { JobHandler } from '../storage/ports.js';
import type { DeliveryDeps } from './delivery-deps.js';
import { forsendelseIdOf } from './job-payload.js';

type Kanal = 'epost' | 'sms';

/**
 * The notify job handler. Actor round trips per notification — before: up to six (read the
 * state, StartVarsling, StartEpostOverforing from inside the SMTP callback, then
 * RegistrerVarsling, or after a refused address RegistrerVarslingFeilet, StartVarsling and
 * RegistrerVarsling). Now at most three, the least the guarantees allow:
 * 1. StartVarsling: the intent, durable before anything is sent; its answer is the state,
 *    so no read before it (a letter with nothing to notify decides nothing);
 * 2. StartEpostOverforing (e-mail only), inside the SMTP callback: the marker must be durable
 *    after the server took the envelope and before the content leaves, so it cannot be
 *    folded into the intent (a run cut off between them would then never send);
 * 3. the outcome: RegistrerVarsling, or RegistrerVarslingFeilet (with `avslutt` when no retry
 *    can mend it, which records the notification in the same step).
 */
export function notifyJob(deps: DeliveryDeps): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    // Decides nothing when an earlier run was cut off after its intent: this run carries on from it.
    const state = await startVarsling(deps, id);
    // Deleted before it was notified, by a version that then left it waiting (its notify job
    // queued across the upgrade): the deletion is decided again, which now ends it.
    if (state !== undefined && notificationStopped(state)) {
      await deps.actors.execute(id, {
        type: 'SlettDokumenter',
        at: deps.now(),
        grunn: state.dokumenterSlettetGrunn ?? 'avsender',
      });
      return;
    }
    if (state === undefined || !needsNotification(state) || state.varslingStartetAt === undefined) return;
    const fristAt = (at: number): number | undefined =>
      state.input.kunDigitalLevering ? undefined : deps.printDeadline(at);
    const levert = state.varselLevert ?? [];
    // An e-mail that may be with the server already (a run cut off after EpostOverfores), or
    // that another run is sending right now (its claim won): never sent again, unless the
    // sender is idempotent (the outbox: one file per message, a second write replaces it),
    // where a run cut off after the marker may have written nothing, so it is written again.
    const resendable = deps.email.idempotent === true && state.epostOverfortAt !== undefined;
    let epostUsikker = !resendable && state.epostOverfortAt !== undefined && !levert.includes('epost');
    let epostStartet = false;
    const sent: Kanal[] = [];
    const outcome = (at: number) => {
      const kanaler = unique([...levert, ...(epostUsikker ? ['epost' as const] : []), ...sent]);
      return { at, kanaler, fristAt: fristAt(at), ...(epostUsikker ? { usikker: true } : {}) };
    };
    try {
      await sendVarsel(deps, state, {
        kind: 'varsel',
        skip: epostUsikker ? [...levert, 'epost'] : levert,
        beforeEpost: async () => {
          epostStartet =
            resendable ||
            (await deps.actors.execute(id, { type: 'StartEpostOverforing', at: deps.now() })).events.length > 0;
          if (!epostStartet) epostUsikker = true;
          return epostStartet;
        },
        onSent: (kanal) => sent.push(kanal),
      });
    } catch (error) {
      // Refused or unreachable before the content left, or refused after it: the server has no copy.
      const epostError = error instanceof VarselFailed ? error.failures.find((f) => f.kanal === 'epost')?.error : error;
      const epostIkkeLevert =
        epostStartet &&
        !sent.includes('epost') &&
        !(epostError instanceof NotificationError && epostError.kanskjeLevert);
      // Retried only while no channel has reached the recipient: once one has, the letter is
      // notified by it (found in review: a mailbox that stayed full kept a letter whose SMS
      // went out unnotified, with no reminder and no print deadline recorded, for days).
      const errors = varselErrors(error);
      // An e-mail that only may have gone (a run cut off after its marker) does not count: the
      // other channel is then still tried, as the only one sure to reach the recipient.
      const reached = levert.length > 0 || sent.length > 0;
      const retry = !reached && errors.some(isRetryable);
      await deps.actors.execute(id, {
        type: 'RegistrerVarslingFeilet',
        at: deps.now(),
        feil: errors.map(failureForHistory).join('; '),
        levert: sent,
        epostIkkeLevert,
        // A refused address will never work: the letter waits with what was delivered and goes
        // to print at the deadline. A failure worth a retry starts the deadline (the first one
        // does; the decider keeps it): an address that keeps failing still brings the letter on paper.
        ...(retry ? { fristAt: fristAt(deps.now()) } : { avslutt: outcome(deps.now()) }),
      });
      if (retry) throw error;
      return;
    }
    const notified = (await deps.actors.execute(id, { type: 'RegistrerVarsling', ...outcome(deps.now()) })).state;
    // The eksponertFor persons, once the recipient's notification is recorded (at most once);
    // not for a letter ordered for print while this run was sending (its deadline passed).
    if (notified?.printBestiltAt === undefined) await sendExposedVarsler(deps, state);
  };
}

/** StartVarsling on `id`: the state it leaves, undefined when there is no such forsendelse. */
async function startVarsling(deps: DeliveryDeps, id: string): Promise<ForsendelseState | undefined> {
  try {
    return (await deps.actors.execute(id, { type: 'StartVarsling', at: deps.now() })).state;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** `list` without repeats, in first-seen order. */
function unique(list: readonly Kanal[]): Kanal[] {
  return [...new Set(list)];
}

/**
 * The optional reminder before the print deadline (REMINDER_BEFORE; off by default), while
 * the letter needs one (needsReminder): not once the deadline is reached (a reminder run late,
 * after a backlog or a stop, would ask the recipient to read a letter being printed), nor
 * after its sender deleted the documents (it would lead to a page saying so).
 * One reminder e-mail across restarts, a node killed mid-send and a lapsed lease, as for the
 * notification (above): the reminder's PaminnelseEpostOverfores is journaled after the SMTP
 * server has taken the envelope and before the first byte of content, and a run that finds
 * it sends no e-mail and records the reminder "usikker" (until this marker, a kill after the
 * server had the content and before its 250 sent the reminder e-mail twice: found in review).
 */
export function reminderJob(deps: DeliveryDeps): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    const state = await deps.actors.state(id);
    if (state === undefined || !needsReminder(state, deps.now())) return;
    // As in notifyJob: an e-mail that may be with the server already (a run cut off after its
    // marker) or that another run is sending is never sent again, but by the idempotent outbox.
    const resendable = deps.email.idempotent === true && state.paminnelseEpostOverfortAt !== undefined;
    let epostUsikker = !resendable && state.paminnelseEpostOverfortAt !== undefined;
    let epostStartet = false;
    const claimEpost = async (): Promise<boolean> =>
      (await deps.actors.execute(id, { type: 'StartPaminnelseEpostOverforing', at: deps.now() })).events.length > 0;
    // One reminder: a channel that failed while the other delivered it is not tried again,
    // since a retry would send the delivered one a second time (found in review: a gateway
    // that failed once sent the reminder e-mail twice). Retried only when none delivered it.
    const sent: Kanal[] = [];
    try {
      await sendVarsel(deps, state, {
        kind: 'paminnelse',
        paminnelse: true,
        skip: epostUsikker ? ['epost'] : [],
        beforeEpost: async () => {
          epostStartet = resendable || (await claimEpost());
          if (!epostStartet) epostUsikker = true;
          return epostStartet;
        },
        onSent: (kanal) => sent.push(kanal),
      });
    } catch (error) {
      if (sent.length === 0) {
        // Refused by the server after the marker (an answer, not a cut-off connection): it has
        // no copy, so the marker is let go and the retry sends the e-mail.
        const epostError =
          error instanceof VarselFailed ? error.failures.find((f) => f.kanal === 'epost')?.error : error;
        const epostIkkeLevert =
          epostStartet &&
          epostError !== undefined &&
          !(epostError instanceof NotificationError && epostError.kanskjeLevert);
        if (epostIkkeLevert) await deps.actors.execute(id, { type: 'RegistrerPaminnelseEpostAvvist', at: deps.now() });
        throw error;
      }
    }
    await deps.actors.execute(id, {
      type: 'RegistrerPaminnelse',
      at: deps.now(),
      ...(epostUsikker ? { usikker: true } : {}),
    });
  };
}
