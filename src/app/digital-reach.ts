/**
 * V11's `leveringsmetode` KUN_DIGITAL_UTEN_LEVERANSEGARANTI (KS: "vil avvise forsendelser til
 * privatpersoner dersom KRR ikke finner vedkommende eller vedkommende har reservert seg";
 * docs/interfaces.md §6a): a letter to a person who cannot be reached digitally is refused at
 * intake, before an id is given out, instead of being accepted and then not delivered
 * (what KUN_DIGITAL_UTEN_LEVERANSEGARANTI_MASSEUTSENDELSE, kunDigitalLevering, does). The
 * contact register is asked as the channel choice will ask it (chooseKanal), so the two agree.
 */
import type { ContactRegister } from '../channels/krr/index.js';
import { chooseKanal } from '../domain/channel-choice.js';
import { UnavailableError, ValidationError } from '../domain/errors.js';
import type { ForsendelseInput } from '../domain/model.js';

/** Refuses (ValidationError on `leveringsmetode`) a letter to a person KRR cannot reach; organisations pass. */
export async function requireDigitalReach(
  krr: Pick<ContactRegister, 'lookup'> | undefined,
  input: ForsendelseInput,
): Promise<void> {
  const digital = input.mottaker?.digitalAdresse;
  if (digital?.type !== 'person') return;
  let kontakt;
  try {
    kontakt = krr === undefined ? undefined : await krr.lookup(digital.fnr);
  } catch {
    // Never a guess: the letter is neither accepted nor refused for good while KRR is away.
    throw new UnavailableError(
      'Kontakt- og reservasjonsregisteret kan ikke nås nå; forsendelser med leveringsmetode KUN_DIGITAL_UTEN_LEVERANSEGARANTI tas imot når det svarer igjen. Prøv igjen senere',
    );
  }
  const valg = chooseKanal({ input: { ...input, kunDigitalLevering: true }, krr: kontakt });
  if (valg.kanal !== 'ingen') return;
  throw new ValidationError([
    {
      field: 'leveringsmetode',
      message: `Kan ikke leveres digitalt: ${valg.reason}. Leveringsmetode KUN_DIGITAL_UTEN_LEVERANSEGARANTI avviser forsendelser til personer som ikke kan nås digitalt (bruk STANDARD_SVARUT_LEVERANSE for levering på papir)`,
    },
  ]);
}
