/**
 * "Send varsel på nytt" from the detail page: the avsender's notification texts again,
 * with a fresh inbox link, to the address the letter was notified at. Each resend gets
 * its own message id (`varsel-pa-nytt-<n>`), so neither the SMS gateway's idempotency
 * key nor a mail client's duplicate filter swallows it. Once sent, the resend is recorded
 * on the forsendelse (RegistrerVarselPaNytt → a history line naming who resent it), and
 * the route writes the audit log.
 */
import { randomBytes } from 'node:crypto';
import { sendVarsel, type VarselDeps } from '../varsel.js';
import type { ForsendelseCommand } from '../../domain/commands.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { ForsendelseState } from '../../domain/forsendelse-state.js';
import { whyNoResend } from '../../domain/delivery-rules.js';
import type { VarselResender } from './admin-service.js';

/** What resending needs: the notification senders and a way to read the letter. */
export interface VarselResenderDeps extends VarselDeps {
  readonly state: (id: string) => Promise<ForsendelseState | undefined>;
  /** Carries out a command on the forsendelse (its actor): records the resend in its history. */
  readonly execute: (id: string, command: ForsendelseCommand) => Promise<unknown>;
}

/** The resender for the admin web. */
export function varselResender(deps: VarselResenderDeps): VarselResender {
  return async (id, av) => {
    const state = await deps.state(id);
    if (state === undefined) throw new NotFoundError();
    const why = whyNoResend(state);
    if (why !== undefined) throw new ConflictError(why);
    if ((await deps.config.getAvsender(state.avsender)) === undefined)
      throw new NotFoundError(`Avsender '${state.avsender}'`);
    const kind = `varsel-pa-nytt-${deps.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const sent: ('epost' | 'sms')[] = [];
    let failed = false;
    try {
      await sendVarsel(deps, state, { kind, paminnelse: true, onSent: (kanal) => sent.push(kanal) });
    } catch (error) {
      // One channel delivered it: recorded with that channel (the audit log names it); none: the error.
      if (sent.length === 0) throw error;
      failed = true;
    }
    await deps.execute(id, { type: 'RegistrerVarselPaNytt', at: deps.now(), av, kanaler: sent });
    const named = sent.map((k) => (k === 'epost' ? 'e-post' : 'SMS')).join(' og ');
    return failed
      ? `Varsel sendt på nytt bare på ${named}; den andre kanalen feilet`
      : `Varsel sendt på nytt på ${named}`;
  };
}
