/**
 * "Send varsel på nytt" from the detail page: the avsender's notification texts again,
 * with a fresh inbox link, to the address the letter was notified at. Each resend gets
 * its own message id (`varsel-pa-nytt-<n>`), so neither the SMS gateway's idempotency
 * key nor a mail client's duplicate filter swallows it. The domain has no event for a
 * resend yet, so it is recorded in the audit log (see the report for the proposed event).
 */
import { randomBytes } from 'node:crypto';
import type { InboxLinks } from '../../app/inbox-links.js';
import { renderVarsel, varselMessageId, type EmailSender, type SmsSender } from '../../channels/notify/index.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { ForsendelseState } from '../../domain/forsendelse-state.js';
import type { ConfigStore } from '../../storage/ports.js';
import type { VarselResender } from './admin-context.js';

/** What resending needs (a subset of the delivery jobs' dependencies). */
export interface VarselResenderDeps {
  readonly state: (id: string) => Promise<ForsendelseState | undefined>;
  readonly config: ConfigStore;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly links: InboxLinks;
  readonly publicUrl: () => string;
  readonly from: string;
  readonly now: () => number;
  readonly linkExpiry: (at: number) => number;
}

/** The resender for the admin web. */
export function varselResender(deps: VarselResenderDeps): VarselResender {
  return async (id) => {
    const state = await deps.state(id);
    if (state === undefined) throw new NotFoundError();
    if (state.kanal !== 'digital' || state.varsletAt === undefined) throw new ConflictError('Forsendelsen er ikke varslet digitalt');
    if (!state.varsling?.epost && !state.varsling?.sms) throw new ConflictError('Forsendelsen har ingen varslingsadresse');
    const avsender = await deps.config.getAvsender(state.avsender);
    if (avsender === undefined) throw new NotFoundError(`Avsender '${state.avsender}'`);
    const digital = state.input.mottaker?.digitalAdresse;
    const mottakerId = digital === undefined ? undefined : digital.type === 'person' ? digital.fnr : digital.orgnr;
    const now = deps.now();
    // Same link shape as the notify job (src/jobs/notify-job.ts inboxLink).
    const token = deps.links.token({ forsendelseId: state.id, mottaker: deps.links.recipientKey(mottakerId), expiresAt: deps.linkExpiry(now) });
    const varsel = renderVarsel({
      avsender: { ...avsender.varsling, navn: avsender.forside.navn || avsender.navn },
      tittel: state.input.tittel,
      lenke: `${deps.publicUrl()}/innboks/${token}`,
      taushetsbelagt: state.input.taushetsbelagtPost,
    });
    const kind = `varsel-pa-nytt-${now.toString(36)}${randomBytes(3).toString('hex')}`;
    const sent: string[] = [];
    if (state.varsling?.epost) {
      await deps.email.send({
        to: state.varsling.epost,
        subject: `Påminnelse: ${varsel.subject}`,
        text: varsel.text,
        html: varsel.html,
        headers: { messageId: varselMessageId(state.id, deps.from, kind) },
      });
      sent.push('e-post');
    }
    if (state.varsling?.sms) {
      await deps.sms.send({ to: state.varsling.sms, text: `Påminnelse: ${varsel.sms}`, id: `${kind}:${state.id}` });
      sent.push('SMS');
    }
    return `Varsel sendt på nytt på ${sent.join(' og ')}`;
  };
}
