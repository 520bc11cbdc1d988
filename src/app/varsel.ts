/**
 * Sending a notification (docs/architecture.md step 6): the avsender's texts with a fresh, signed
 * inbox link, by e-mail and/or SMS to the addresses chosen at routing. Used by the notify
 * and reminder jobs and by the admin web's "send varsel på nytt".
 */
import type { EmailSender, SmsSender } from '../channels/notify/index.js';
import type { Varslingsadresse } from '../domain/events.js';
import {
  NotificationError,
  reminderPrefix,
  renderVarsel,
  varselMessageId,
  varslingFor,
} from '../channels/notify/index.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import { mottakerIdOf } from '../domain/mottaker.js';
import type { ConfigStore } from '../storage/ports.js';
import type { InboxLinks } from './inbox-links.js';

/** What sending a notification needs. */
export interface VarselDeps {
  readonly config: ConfigStore;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly links: InboxLinks;
  readonly publicUrl: () => string;
  readonly from: string;
  readonly now: () => number;
  /** How long a notification link works, from when it is made. */
  readonly linkExpiry: (at: number) => number;
}

type Kanal = 'epost' | 'sms';

/** How one sending is told apart: `kind` makes the Message-ID and SMS id; a reminder's subject and SMS say so. */
export interface VarselKind {
  readonly kind: string;
  /** A reminder: subject and SMS start with the word for it in the avsender's language. */
  readonly paminnelse?: boolean;
  /** Channels not to send on (already delivered, or possibly so). */
  readonly skip?: readonly Kanal[];
  /** The e-mail's `beforeTransfer` (see EmailMessage): false sends no e-mail. */
  readonly beforeEpost?: () => Promise<boolean>;
  /** Called as each channel is delivered, so a caller knows what went out before a failure. */
  readonly onSent?: (kanal: Kanal) => void;
  /**
   * Someone other than the recipient to notify, with a link of their own: an eksponertFor
   * address (src/app/exposed-varsel.ts). Absent: the recipient, at the addresses chosen at routing.
   */
  readonly til?: { readonly mottakerId: string; readonly varsling: Varslingsadresse };
}

/** The recipient's inbox link for `state` (or that of `mottakerId`, an eksponertFor address), valid from `now`. */
export function inboxLink(
  deps: Pick<VarselDeps, 'links' | 'publicUrl' | 'linkExpiry'>,
  state: ForsendelseState,
  now: number,
  mottakerId: string | undefined = mottakerIdOf(state.input.mottaker?.digitalAdresse),
): string {
  const mottaker = deps.links.recipientKey(mottakerId);
  const token = deps.links.token({ forsendelseId: state.id, mottaker, expiresAt: deps.linkExpiry(now) });
  return `${deps.publicUrl()}/innboks/${token}`;
}

/** Both channels failed: each failure by its channel (one failure is thrown as it is). */
export class VarselFailed extends Error {
  constructor(readonly failures: readonly { readonly kanal: Kanal; readonly error: unknown }[]) {
    super(
      failures.map((f) => `${f.kanal}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; '),
    );
    this.name = 'VarselFailed';
  }
}

/** The errors behind a failed sendVarsel: the one it threw, or each of VarselFailed's. */
export function varselErrors(error: unknown): unknown[] {
  return error instanceof VarselFailed ? error.failures.map((f) => f.error) : [error];
}

/**
 * Sends the notification of `state`; returns the channels used (none when it has no address).
 * Each channel is tried whatever became of the other (a refused mailbox or an SMTP server that
 * is down no longer kept the SMS from going: found in review, a digital-only letter then
 * reached nobody); what was delivered is told to `onSent` before a failure is thrown.
 */
export async function sendVarsel(deps: VarselDeps, state: ForsendelseState, how: VarselKind): Promise<Kanal[]> {
  const avsender = await deps.config.getAvsender(state.avsender);
  if (avsender === undefined) throw new Error(`Avsender ${state.avsender} finnes ikke`);
  const varsel = renderVarsel({
    // In the avsender's language (its recipient-page setting), unless it wrote its own texts.
    avsender: { ...varslingFor(avsender), navn: avsender.forside.navn || avsender.navn },
    sprak: avsender.mottakerside?.sprak ?? 'nb',
    tittel: state.input.tittel,
    lenke: inboxLink(deps, state, deps.now(), how.til?.mottakerId),
    taushetsbelagt: state.input.taushetsbelagtPost,
    niva4: state.input.krevNiva4Innlogging,
    // E-mail is no secure channel: a confidential or level-4 letter's links stay in the inbox.
    lenker: state.input.taushetsbelagtPost || state.input.krevNiva4Innlogging ? [] : state.input.lenker,
  });
  const prefix = how.paminnelse === true ? reminderPrefix(avsender.mottakerside?.sprak ?? 'nb') : '';
  const used: Kanal[] = [];
  const sent = (kanal: Kanal): void => {
    used.push(kanal);
    how.onSent?.(kanal);
  };
  const skip = how.skip ?? [];
  const varsling = how.til === undefined ? state.varsling : how.til.varsling;
  const failures: { kanal: Kanal; error: unknown }[] = [];
  if (varsling?.epost && !skip.includes('epost')) {
    try {
      const handedOver = await deps.email.send({
        to: varsling.epost,
        subject: prefix + varsel.subject,
        text: varsel.text,
        html: varsel.html,
        headers: { messageId: varselMessageId(state.id, deps.from, how.kind) },
        ...(how.beforeEpost === undefined ? {} : { beforeTransfer: how.beforeEpost }),
      });
      if (handedOver) sent('epost');
    } catch (error) {
      failures.push({ kanal: 'epost', error });
    }
  }
  if (varsling?.sms && !skip.includes('sms')) {
    try {
      // The gateway's idempotency key (the id) makes a resend after a crash harmless.
      await deps.sms.send({ to: varsling.sms, text: prefix + varsel.sms, id: `${how.kind}:${state.id}` });
      sent('sms');
    } catch (error) {
      failures.push({ kanal: 'sms', error });
    }
  }
  if (failures.length === 1) throw (failures[0] as { error: unknown }).error;
  if (failures.length > 1) throw new VarselFailed(failures);
  return used;
}

/**
 * A notification failure as the letter's history says it: the sender's system reads the
 * history (REST historikk, webhooks), so it is the channel's own sender-safe text, which
 * never quotes the recipient's address from KRR (review of 7 December 2026: an SMTP refusal
 * quoted it); anything else is not described there. The job's log line keeps the whole error.
 */
export function failureForHistory(error: unknown): string {
  if (error instanceof NotificationError) return error.historyText;
  return 'en uventet feil (driften finner den i loggen)';
}
