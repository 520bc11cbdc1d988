/**
 * Job `notify` (DESIGN.md step 6): e-mail and/or SMS with an expiring link to the inbox,
 * then VARSLET with the print deadline. At most one notification per forsendelse, also
 * across retries and restarts: the intent (VarslingStartet) is journaled before sending;
 * a failure the server reported is journaled too and retried, but a run that died between
 * intent and outcome is never resent (the deadline still brings the letter on paper).
 */
import { isRetryable } from '../channels/channel-error.js';
import { sendVarsel } from '../app/varsel.js';
import { isFinal } from '../domain/forsendelse-state.js';
import type { JobHandler } from '../storage/ports.js';
import type { DeliveryDeps } from './delivery-deps.js';
import { forsendelseIdOf } from './job-payload.js';

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
      kanaler = await sendVarsel(deps, started.state, { kind: 'varsel' });
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
    await sendVarsel(deps, state, { kind: 'paminnelse', prefix: 'Påminnelse: ' });
    await deps.actors.execute(id, { type: 'RegistrerPaminnelse', at: deps.now() });
  };
}
