/** Helpers of the cluster test: recipients, Redis presence, bounded parallelism, mail ids. */
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { mod11ControlDigit } from '../../src/domain/validation/fodselsnummer.js';

/** Valid fødselsnumre born 1 January 1990, individual numbers 000, 001, … (control digits computed). */
export function fodselsnumre(count: number): string[] {
  const result: string[] = [];
  for (let individ = 0; result.length < count; individ++) {
    const nine = [...`010190${String(individ).padStart(3, '0')}`].map(Number);
    const k1 = mod11ControlDigit(nine, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
    if (k1 === undefined) continue;
    const k2 = mod11ControlDigit([...nine, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    if (k2 !== undefined) result.push(`${nine.join('')}${k1}${k2}`);
  }
  return result;
}

/** True when something accepts TCP connections on 127.0.0.1:6379. */
export function redisAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 6379 });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** SHA-256 of `b`, hex. */
export const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** The forsendelse id in a notification's Message-ID (`<varsel.<id>@domain>`). */
export const idOfMessage = (messageId: string): string | undefined => /^<varsel\.([0-9a-f-]{36})@/.exec(messageId)?.[1];

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}
