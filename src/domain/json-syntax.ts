/**
 * Why a text is not JSON, in Norwegian, without quoting it: V8's message echoes the text
 * around the fault, which may be a person's data (a KRR answer, a letter's metadata), and
 * these reasons reach callers and logs.
 */

/** Where or what the fault is ("feil ved tegn 6", "uventet «}»"), never the text around it. */
export function jsonSyntaxFault(error: Error, text: string): string {
  if (text.trim() === '') return 'tomt innhold';
  const at = /at position (\d+)/.exec(error.message)?.[1];
  if (at !== undefined) return `feil ved tegn ${Number(at) + 1}`;
  // "Unexpected token '}', "…" is not valid JSON": the token, without the echo of the text.
  const token = /^Unexpected token '(.{1,4})'/.exec(error.message)?.[1];
  if (token !== undefined) return `uventet «${token}»`;
  return /end of (JSON )?input/i.test(error.message) ? 'teksten slutter før JSON-verdien er ferdig' : 'syntaksfeil';
}

/** V8's English syntax message as a Norwegian reason with the character it stopped at. */
export function jsonSyntaxReason(error: Error, text: string): string {
  const fault = jsonSyntaxFault(error, text);
  if (fault.startsWith('feil ved') || fault.startsWith('uventet')) return `ikke gyldig JSON (${fault})`;
  return fault === 'syntaksfeil' ? 'ikke gyldig JSON' : fault;
}
