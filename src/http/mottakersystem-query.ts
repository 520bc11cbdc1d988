/**
 * The query of a receiving-system lookup (REST v1 `mottakersystem`, REST v2 `mottakersystem`),
 * checked before it is asked: a bad value is a 400 naming the parameter as the caller's
 * interface spells it, not an empty list the caller cannot tell from "no receiving system".
 * An empty parameter is an absent one. The organisation number is 9 digits and the level 0–9
 * (mottakersystem-api-v2.json); the type is held to v2's pattern only where v2 asks for it.
 */
import { ValidationError, type FieldProblem } from '../domain/errors.js';

/** The query parameters' names in the caller's interface, and whether the type has v2's pattern. */
export interface MottakersystemQueryNames {
  readonly orgnr: string;
  readonly forsendelseType: string;
  /** mottakersystem-api-v2.json: words of letters and digits joined by dots, at most 100 characters. */
  readonly typePattern: boolean;
}

/** mottakersystem-api-v2.json's pattern of `forsendelseType`. */
const FORSENDELSE_TYPE = /^[a-zA-ZæøåÆØÅ0-9]+(\.[a-zA-ZæøåÆØÅ0-9]+)*$/;

/** What the lookup is asked with (ForsendelseService.mottakersystemer). */
export interface MottakersystemQuery {
  readonly orgnr?: string;
  readonly forsendelseType?: string;
  readonly niva?: number;
}

/** The checked query, or a ValidationError naming each bad parameter. */
export function mottakersystemQuery(
  given: { orgnr?: string | undefined; forsendelseType?: string | undefined; niva?: string | undefined },
  names: MottakersystemQueryNames,
): MottakersystemQuery {
  const { orgnr, forsendelseType, niva } = given;
  const problems: FieldProblem[] = [];
  if (orgnr && !/^[0-9]{9}$/.test(orgnr))
    problems.push({
      field: names.orgnr,
      message: `Ugyldig ${names.orgnr} '${orgnr.slice(0, 40)}': forventet 9 siffer`,
    });
  if (forsendelseType && names.typePattern && (forsendelseType.length > 100 || !FORSENDELSE_TYPE.test(forsendelseType)))
    problems.push({
      field: names.forsendelseType,
      message: `Ugyldig ${names.forsendelseType} '${forsendelseType.slice(0, 100)}': forventet ord (bokstaver og siffer) skilt med punktum, høyst 100 tegn`,
    });
  if (niva && !/^[0-9]$/.test(niva))
    problems.push({ field: 'niva', message: `Ugyldig niva '${niva.slice(0, 20)}': forventet et heltall fra 0 til 9` });
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    ...(orgnr ? { orgnr } : {}),
    ...(forsendelseType ? { forsendelseType } : {}),
    ...(niva ? { niva: Number(niva) } : {}),
  };
}
