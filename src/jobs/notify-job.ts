/**
 * Job `notify` (DESIGN.md step 6): e-mail and/or SMS with an expiring link to the inbox,
 * then VARSLET with the print deadline. At most one notification per forsendelse, also
 * across retries and restarts: the intent (VarslingStartet) is journaled before sending;
 * a failure the server reported is journaled too and retried, but a run that died between
 * intent and outcome is never resent (the deadline still brings the letter on paper).
 */
import { isRetryable } from '../channels/channel-error.js';
import { renderVarsel, varselMessageId } from '../channels/notify/index.js';
import { isFinal, type ForsendelseState } from '../domain/forsendelse-state.js';
import type { JobHandler } from '../storage/ports.js';
import type { DeliveryDeps } from './delivery-deps.js';
import { forsendelseIdOf } from './job-payload.js';

/** The recipient's inbox link for `state`, valid from `now`. */
export function inboxLink(deps: DeliveryDeps, state: ForsendelseState, now: number): string {
  const digital = state.input.mottaker?.digitalAdresse;
  const mottakerId = digital === undefined ? undefined : digital.type === 'person' ? digital.fnr : digital.orgnr;
  const token = deps.links.token({ forsendelseId: state.id, mottaker: deps.links.recipientKey(mottakerId), expiresAt: deps.linkExpiry(now) });
  return `${deps.publicUrl()}/innboks/${token}`;
}

/** Sends the notification of `state` (kind 'varsel' or 'paminnelse'); returns the channels used. */
export async function sendVarsel(deps: DeliveryDeps, state: ForsendelseState, kind: 'varsel' | 'paminnelse'): Promise<('epost' | 'sms')[]> {
  const avsender = await deps.config.getAvsender(state.avsender);
  if (avsender === undefined) throw new Error(`Avsender ${state.avsender} finnes ikke`);
  const varsel = renderVarsel({
    avsender: { ...avsender.varsling, navn: avsender.forside.navn || avsender.navn },
    tittel: state.input.tittel,
    lenke: inboxLink(deps, state, deps.now()),
    taushetsbelagt: state.input.taushetsbelagtPost,
  });
  const prefix = kind === 'paminnelse' ? 'Påminnelse: ' : '';
  const used: ('epost' | 'sms')[] = [];
  if (state.varsling?.epost) {
    await deps.email.send({
      to: state.varsling.epost,
      subject: prefix + varsel.subject,
      text: varsel.text,
      html: varsel.html,
      headers: { messageId: varselMessageId(state.id, deps.from, kind) },
    });
    used.push('epost');
  }
  if (state.varsling?.sms) {
    await deps.sms.send({ to: state.varsling.sms, text: prefix + varsel.sms, id: `${kind}:${state.id}` });
    used.push('sms');
  }
  return used;
}

/** The notify job handler. */
export function notifyJob(deps: DeliveryDeps): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    const state = await deps.actors.state(id);
    if (state === undefined || state.kanal !== 'digital' || state.varsletAt !== undefined || isFinal(state)) return;
    const fristAt = (at: number): number | undefined => (state.input.kunDigitalLevering ? undefined : deps.printDeadline(at));
    if (state.varslingStartetAt !== undefined) {
      const at = deps.now();
      await deps.actors.execute(id, { type: 'RegistrerVarsling', at, kanaler: [], fristAt: fristAt(at), usikker: true });
      return;
    }
    const started = await deps.actors.execute(id, { type: 'StartVarsling', at: deps.now() });
    if (started.events.length === 0 || started.state === undefined) return;
    let kanaler: ('epost' | 'sms')[];
    try {
      kanaler = await sendVarsel(deps, started.state, 'varsel');
    } catch (error) {
      await deps.actors.execute(id, { type: 'RegistrerVarslingFeilet', at: deps.now(), feil: (error as Error).message });
      if (isRetryable(error)) throw error;
      // A refused address will never work: the letter waits unnotified and goes to print at the deadline.
      await deps.actors.execute(id, { type: 'StartVarsling', at: deps.now() });
      const at = deps.now();
      await deps.actors.execute(id, { type: 'RegistrerVarsling', at, kanaler: [], fristAt: fristAt(at) });
      return;
    }
    const at = deps.now();
    await deps.actors.execute(id, { type: 'RegistrerVarsling', at, kanaler, fristAt: fristAt(at) });
  };
}

/** The optional reminder before the print deadline (REMINDER_BEFORE; off by default). */
export function reminderJob(deps: DeliveryDeps): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    const state = await deps.actors.state(id);
    if (state === undefined || state.status !== 'VARSLET' || state.paminnetAt !== undefined || state.lestAt !== undefined) return;
    await sendVarsel(deps, state, 'paminnelse');
    await deps.actors.execute(id, { type: 'RegistrerPaminnelse', at: deps.now() });
  };
}
