/**
 * The JSON of a request, parsed and bounded in depth. The doors walk what they parse (the
 * schema check, the readers), some recursively: a value nested thousands of levels deep in
 * a field nobody reads overflowed the stack and answered 500. No request of any interface
 * nests deeper than a handful of levels, so a value deeper than MAX_JSON_DEPTH is refused
 * before anything walks it. An object that names a key twice is refused, naming the key:
 * JSON.parse keeps the last value, a validator or gateway in front of us may read the first,
 * and the sender cannot have meant both (the SOAP doors refuse a repeated element alike).
 * Syntax errors are said in Norwegian, with where they are.
 */

import { jsonSyntaxReason } from '../domain/json-syntax.js';

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
    throw new RequestJsonError(jsonSyntaxReason(error as Error, text));
  }
  if (deeperThan(value, MAX_JSON_DEPTH))
    throw new RequestJsonError(`verdiene er nøstet dypere enn ${MAX_JSON_DEPTH} nivåer`);
  const repeated = repeatedKey(text);
  if (repeated !== undefined)
    throw new RequestJsonError(`feltet «${shortened(repeated)}» forekommer mer enn én gang i samme objekt`);
  return value;
}

/** An object or array being scanned, and where it is. */
interface Scope {
  /** The object's keys so far; undefined for an array. */
  readonly keys: Set<string> | undefined;
  readonly path: string;
  /** The key whose value comes next (object), or the element's index (array). */
  key: string;
  index: number;
  expectingKey: boolean;
}

/**
 * The path (`mottaker.postAdresse.navn`, `dokumenter[1].filnavn`) of the first key an object
 * of `text` repeats, or undefined. `text` is valid JSON (parsed before): strings, and thus
 * the braces and commas inside them, are skipped whole, and keys are compared as decoded.
 */
function repeatedKey(text: string): string | undefined {
  const scopes: Scope[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const top = scopes.at(-1);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      if (top?.keys !== undefined && top.expectingKey) {
        const raw = text.slice(i, end);
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (top.keys.has(key)) return joined(top.path, key);
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      i = end - 1;
    } else if (c === 0x7b || c === 0x5b) {
      const path =
        top === undefined ? '' : top.keys === undefined ? `${top.path}[${top.index}]` : joined(top.path, top.key);
      scopes.push({ keys: c === 0x7b ? new Set() : undefined, path, key: '', index: 0, expectingKey: true });
    } else if (c === 0x7d || c === 0x5d) scopes.pop();
    else if (c === 0x2c && top !== undefined) {
      top.expectingKey = true;
      top.index += 1;
    }
  }
  return undefined;
}

/** The index just after the string that starts with the quote at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** A path as a refusal quotes it: a key may be as long as the request. */
function shortened(path: string): string {
  return path.length > 120 ? `${path.slice(0, 120)}…` : path;
}

function joined(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
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
