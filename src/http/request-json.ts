/**
 * The JSON of a request, parsed and bounded in depth. The doors walk what they parse (the
 * schema check, the readers), some recursively: a value nested thousands of levels deep in
 * a field nobody reads overflowed the stack and answered 500. No request of any interface
 * nests deeper than a handful of levels, so a value deeper than MAX_JSON_DEPTH is refused
 * before anything walks it. Syntax errors are said in Norwegian, with where they are.
 */

/** Deepest nesting of objects and arrays a request's JSON may have. */
export const MAX_JSON_DEPTH = 32;

/** A request's JSON that cannot be taken; `message` is the Norwegian reason. */
export class RequestJsonError extends Error {}

/** `text` parsed, or RequestJsonError (a syntax error, or nesting deeper than MAX_JSON_DEPTH). */
export function parseRequestJson(text: string): unknown {
  let value: unknown;
  try {
    // A UTF-8 byte order mark before the JSON (Windows tools write one) is skipped, as
    // Jackson, which KS's services read with, and RFC 8259 §8.1 allow.
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new RequestJsonError(syntaxReason(error as Error, text));
  }
  if (deeperThan(value, MAX_JSON_DEPTH))
    throw new RequestJsonError(`verdiene er nøstet dypere enn ${MAX_JSON_DEPTH} nivåer`);
  return value;
}

/** True if `value` nests objects or arrays more than `limit` levels deep (walked without recursion). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** V8's English syntax message as a Norwegian reason with the character it stopped at. */
function syntaxReason(error: Error, text: string): string {
  if (text.trim() === '') return 'tomt innhold';
  const at = /at position (\d+)/.exec(error.message)?.[1];
  if (at !== undefined) return `ikke gyldig JSON (feil ved tegn ${Number(at) + 1})`;
  // "Unexpected token '}', "…" is not valid JSON": the token, without the echo of the text.
  const token = /^Unexpected token '(.{1,4})'/.exec(error.message)?.[1];
  if (token !== undefined) return `ikke gyldig JSON (uventet «${token}»)`;
  return /end of (JSON )?input/i.test(error.message)
    ? 'teksten slutter før JSON-verdien er ferdig'
    : 'ikke gyldig JSON';
}
