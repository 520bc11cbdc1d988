/**
 * The channel a letter takes (docs/architecture.md step 5), asked where it is first known:
 * the compose job asks on acceptance, so a letter that goes on paper at once is never
 * merged for the inbox, and the route job asks for a letter accepted without one (KRR was
 * unreachable then) or offered again after its receiving system gave it up.
 */
import { chooseKanal } from '../domain/channel-choice.js';
import type { ChannelChoice } from '../domain/commands.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import type { MottakersystemService } from '../app/mottakersystemer.js';
import type { ContactRegister } from '../channels/krr/index.js';
import type { Avsender } from '../storage/ports.js';

/** A receiving system as forLetter gives it, or none. */
type MatchedSystem = Awaited<ReturnType<MottakersystemService['forLetter']>>;

/**
 * The channel for `state`'s letter, given the receiving system that takes it (if any) and
 * its avsender (whose address for notifying organisations it may use): a person is looked
 * up in `krr`, which throws when KRR cannot be reached.
 */
export async function chooseRoute(
  state: ForsendelseState,
  system: MatchedSystem,
  avsender: Avsender | undefined,
  krr: ContactRegister,
): Promise<ChannelChoice> {
  const digital = state.input.mottaker?.digitalAdresse;
  const kontakt = digital?.type === 'person' ? await krr.lookup(digital.fnr) : undefined;
  const valg = chooseKanal({
    input: state.input,
    krr: kontakt,
    mottakersystem: system === undefined ? undefined : { id: system.id, navn: system.navn },
    organisasjonEpost: avsender?.varsling.organisasjonEpost,
  });
  return { kanal: valg.kanal, grunn: valg.reason, varsling: valg.varsling, mottakersystem: valg.mottakersystem };
}
