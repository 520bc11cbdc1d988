/**
 * Test-side generators of identity numbers, written independently of the code under
 * test: a control digit is the c that makes the full weighted sum divisible by 11.
 */

function completing(digits: string, weights: readonly number[]): number | undefined {
  const partial = [...digits].reduce((sum, ch, i) => sum + Number(ch) * (weights[i] ?? 0), 0);
  const last = weights[weights.length - 1] ?? 1;
  for (let c = 0; c <= 9; c++) if ((partial + c * last) % 11 === 0) return c;
  return undefined;
}

/** The 11-digit number for 6 date digits + 3 individual digits, or undefined if no control digits exist. */
export function fnrFrom(dateDigits: string, individ: number): string | undefined {
  const base = dateDigits + String(individ).padStart(3, '0');
  const k1 = completing(base, [3, 7, 6, 1, 8, 9, 4, 5, 2, 1]);
  if (k1 === undefined) return undefined;
  const k2 = completing(base + k1, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1]);
  return k2 === undefined ? undefined : base + k1 + k2;
}

/** The first number with control digits for `dateDigits`, trying individual numbers from `from` upwards. */
export function findFnr(dateDigits: string, from: number): string {
  for (let individ = from; individ <= 999; individ++) {
    const fnr = fnrFrom(dateDigits, individ);
    if (fnr !== undefined) return fnr;
  }
  throw new Error(`no number for ${dateDigits} from ${from}`);
}

/** The 9-digit orgnr for 8 base digits, or undefined if the remainder rule gives 10. */
export function orgnrFrom(base: string): string | undefined {
  const k = completing(base, [3, 2, 7, 6, 5, 4, 3, 2, 1]);
  return k === undefined ? undefined : base + k;
}

/** Every string that differs from `s` in exactly one digit. */
export function singleDigitVariants(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    for (let d = 0; d <= 9; d++) if (String(d) !== s[i]) out.push(s.slice(0, i) + d + s.slice(i + 1));
  }
  return out;
}
