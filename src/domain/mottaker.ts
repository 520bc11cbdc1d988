/** Small facts about a recipient, used wherever a recipient is keyed or shown. */
import type { DigitalAdresse } from './model.js';

/** The fødselsnummer or organisasjonsnummer of a digital address, if any. */
export function mottakerIdOf(digital: DigitalAdresse | undefined): string | undefined {
  if (digital === undefined) return undefined;
  return digital.type === 'person' ? digital.fnr : digital.orgnr;
}
