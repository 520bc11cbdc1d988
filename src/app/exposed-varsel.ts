/**
 * Notifying the eksponertFor addresses (REST v1 / V11: further digital addresses that may
 * also download the letter, docs/interfaces.md §6): each person among them that the contact
 * register (KRR) lets us notify gets the avsender's notification with a link of their own,
 * which opens the letter in the inbox (src/app/inbox-service.ts accepts it); their download
 * does not make the letter LEST, which is the recipient's. Sent once, after the recipient's
 * notification is recorded (a crash in between leaves them without one rather than with
 * two). Organisations among them have no contact register: they get no notice and open the
 * letter with a link the avsender's own system hands them (docs/interfaces.md §6).
 */
import type { ContactRegister } from '../channels/krr/index.js';
import type { Varslingsadresse } from '../domain/events.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import { mottakerIdOf } from '../domain/mottaker.js';
import { sendVarsel, type VarselDeps } from './varsel.js';

/** Notifies the letter's eksponertFor persons; returns how many were notified. */
export async function sendExposedVarsler(
  deps: VarselDeps & { readonly krr: ContactRegister },
  state: ForsendelseState,
): Promise<number> {
  const recipient = mottakerIdOf(state.input.mottaker?.digitalAdresse);
  const fnrs = [
    ...new Set(
      (state.input.eksponertFor ?? []).flatMap((a) => (a.type === 'person' && a.fnr !== recipient ? [a.fnr] : [])),
    ),
  ];
  let notified = 0;
  for (const [i, fnr] of fnrs.entries()) {
    const varsling = notifiable(await deps.krr.lookup(fnr));
    if (varsling === undefined) continue;
    const kanaler = await sendVarsel(deps, state, { kind: `innsyn-${i}`, til: { mottakerId: fnr, varsling } });
    if (kanaler.length > 0) notified++;
  }
  return notified;
}

/** Where KRR lets us notify a person: active, not reserved, contact information usable. */
function notifiable(krr: Awaited<ReturnType<ContactRegister['lookup']>>): Varslingsadresse | undefined {
  if (krr === undefined || krr.reservasjon === 'JA' || krr.status !== 'AKTIV') return undefined;
  if (krr.varslingsstatus === 'KAN_IKKE_VARSLES') return undefined;
  const epost = krr.kontaktinformasjon?.epostadresse?.trim();
  const sms = krr.kontaktinformasjon?.mobiltelefonnummer?.trim();
  if (epost) return { epost };
  if (sms) return { sms };
  return undefined;
}
