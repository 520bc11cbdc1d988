/**
 * Whether a letter has an address to notify, apart from the other delivery rules
 * (delivery-rules.ts re-exports it) so that the history (history.ts), which the state's
 * evolution uses, can ask it without a cycle of imports.
 */
import type { ForsendelseState } from './forsendelse-state.js';

/** True when the letter has an address to notify (an e-mail address or a mobile number from KRR or the avsender). */
export function hasNotificationAddress(state: Pick<ForsendelseState, 'varsling'>): boolean {
  return Boolean(state.varsling?.epost || state.varsling?.sms);
}
