/**
 * KS's `leveringsmetode` (SOAP V11 and REST v1, KS's pages since May 2019; docs/interfaces.md
 * §6a), which replaces `kunDigitalLevering`: what each value means for a letter.
 */

/** The three delivery methods. */
export const LEVERINGSMETODER = [
  'STANDARD_SVARUT_LEVERANSE',
  'KUN_DIGITAL_UTEN_LEVERANSEGARANTI',
  'KUN_DIGITAL_UTEN_LEVERANSEGARANTI_MASSEUTSENDELSE',
] as const;

export type Leveringsmetode = (typeof LEVERINGSMETODER)[number];

/**
 * `kunDigital`: never print (kunDigitalLevering); `kreverDigitalMottaker`: a person the contact
 * register cannot reach digitally is refused at intake (src/app/digital-reach.ts) rather than
 * accepted and left undelivered.
 */
export function leveringsmetodeRules(metode: Leveringsmetode): { kunDigital: boolean; kreverDigitalMottaker: boolean } {
  return {
    kunDigital: metode !== 'STANDARD_SVARUT_LEVERANSE',
    kreverDigitalMottaker: metode === 'KUN_DIGITAL_UTEN_LEVERANSEGARANTI',
  };
}

/** The value as sent (any case), or undefined when it is none of the three. */
export function asLeveringsmetode(value: string): Leveringsmetode | undefined {
  return LEVERINGSMETODER.find((m) => m === value.trim().toUpperCase());
}
