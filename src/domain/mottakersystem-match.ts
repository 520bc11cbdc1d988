/**
 * Which receiving system (SvarInn, docs/interfaces.md §11) takes an organisation letter: one
 * registered for the recipient's orgnr whose filters (forsendelseType or all, security level
 * 3/4 or all) admit the letter. Pure: the caller reads the register.
 */
import type { ForsendelseInput } from './model.js';

/** A receiving system's filters. */
export interface MottakersystemFilter {
  readonly id: string;
  readonly orgnr: string;
  /** undefined: every type. */
  readonly forsendelseType?: string;
  /** undefined: both levels. */
  readonly niva?: 3 | 4;
  readonly createdAt: number;
}

/** The security level of a letter: 4 when it requires level-4 login, else 3. */
export function nivaOf(input: Pick<ForsendelseInput, 'krevNiva4Innlogging'>): 3 | 4 {
  return input.krevNiva4Innlogging ? 4 : 3;
}

/** True when `system` admits a letter to `orgnr` of that type and level. */
export function admitsLetter(
  system: MottakersystemFilter,
  letter: { readonly orgnr: string; readonly forsendelseType?: string; readonly niva: 3 | 4 },
): boolean {
  return (
    system.orgnr === letter.orgnr &&
    (system.forsendelseType === undefined || system.forsendelseType === letter.forsendelseType) &&
    (system.niva === undefined || system.niva === letter.niva)
  );
}

/**
 * The system that takes the letter, if any: of several that admit it, the most specific
 * (a named type before all types, a named level before both), then the oldest.
 */
export function chooseMottakersystem<T extends MottakersystemFilter>(
  systems: readonly T[],
  input: Pick<ForsendelseInput, 'mottaker' | 'forsendelseType' | 'krevNiva4Innlogging'>,
): T | undefined {
  const digital = input.mottaker?.digitalAdresse;
  if (digital?.type !== 'organisasjon') return undefined;
  const letter = { orgnr: digital.orgnr, forsendelseType: input.forsendelseType, niva: nivaOf(input) };
  const specificity = (s: T): number => (s.forsendelseType === undefined ? 0 : 2) + (s.niva === undefined ? 0 : 1);
  return systems
    .filter((s) => admitsLetter(s, letter))
    .sort((a, b) => specificity(b) - specificity(a) || a.createdAt - b.createdAt || a.id.localeCompare(b.id))[0];
}
