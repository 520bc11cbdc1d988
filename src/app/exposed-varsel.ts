/**
 * Notifying the eksponertFor addresses (REST v1 / V11: further digital addresses that may
 * also download the letter, docs/interfaces.md §6): each person among them that the contact
 * register (KRR) lets us notify gets the avsender's notification with a link of their own,
 * which opens the letter in the inbox (src/app/inbox-service.ts accepts it); their download
 * does not make the letter LEST, which is the recipient's. Sent once, after the recipient's
 * notification is recorded (a crash in between leaves them without one rather than with
 * two). Organisations among them are notified where the avsender has set up notices to
 * organisations (varsling.organisasjonEpost), as organisation recipients are (channel-choice.ts),
 * except for a level-4 letter: it opens only with a one-time code by SMS to a person, so an
 * organisation's link would lead to a page nobody there can pass.
 */
import type { ContactRegister } from '../channels/krr/index.js';
import type { Varslingsadresse } from '../domain/events.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import { mottakerIdOf } from '../domain/mottaker.js';
import { isSingleMailbox, singleMobileNumber } from '../domain/validation/index.js';
import { sendVarsel, type VarselDeps } from './varsel.js';

/** Notifies the letter's eksponertFor persons; returns how many were notified. */
export async function sendExposedVarsler(
  deps: VarselDeps & { readonly krr: ContactRegister },
  state: ForsendelseState,
): Promise<number> {
  const recipient = mottakerIdOf(state.input.mottaker?.digitalAdresse);
  const adresser = [
    ...new Map(
      (state.input.eksponertFor ?? []).flatMap((a) => {
        const id = mottakerIdOf(a);
        return id === undefined || id === recipient ? [] : [[id, a] as const];
      }),
    ).values(),
  ];
  if (adresser.length === 0) return 0;
  const organisasjonEpost = (await deps.config.getAvsender(state.avsender))?.varsling.organisasjonEpost?.trim();
  let notified = 0;
  for (const [i, adresse] of adresser.entries()) {
    const varsling =
      adresse.type === 'person'
        ? notifiable(await deps.krr.lookup(adresse.fnr))
        : organisasjonEpost && !state.input.krevNiva4Innlogging
          ? { epost: organisasjonEpost }
          : undefined;
    if (varsling === undefined) continue;
    const til = { mottakerId: mottakerIdOf(adresse) ?? '', varsling };
    const kanaler = await sendVarsel(deps, state, { kind: `innsyn-${i}`, til });
    if (kanaler.length > 0) notified++;
  }
  return notified;
}

/** Where KRR lets us notify a person: active, not reserved, contact information usable. */
function notifiable(krr: Awaited<ReturnType<ContactRegister['lookup']>>): Varslingsadresse | undefined {
  if (krr === undefined || krr.reservasjon === 'JA' || krr.status !== 'AKTIV') return undefined;
  if (krr.varslingsstatus === 'KAN_IKKE_VARSLES') return undefined;
  const epost = krr.kontaktinformasjon?.epostadresse?.trim();
  const sms = singleMobileNumber(krr.kontaktinformasjon?.mobiltelefonnummer);
  if (epost && isSingleMailbox(epost)) return { epost };
  if (sms) return { sms };
  return undefined;
}
