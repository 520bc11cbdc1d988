/**
 * ServedParts on Redis, shared by every node that names the same Redis and prefix, so the
 * parts of a file that several nodes behind a load balancer served add up (a PDF viewer
 * loads by ranges, and each request may reach another node): the letter counts as read once
 * every byte has gone, whichever node sent it (docs/cluster.md "Reads in parts").
 *
 * Layout: one string per file, `<prefix>:parts:<sha256 of the key>`, its pieces as
 * `start-end,start-end,…` (sorted, disjoint, inclusive), expiring a day after the last part.
 * Adding a part is one Lua script, which Redis runs atomically: two nodes adding at once
 * each see the other's part. The script restates `merged` and the bounds of
 * src/domain/served-pieces.ts (src/app/download-coverage.ts is the same port in one node's memory).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { FORGET_AFTER_MS, MAX_PIECES } from '../../domain/served-pieces.js';
import type { ByteRange, ServedParts } from '../ports.js';
import { failFastClient, quit, type RedisAdapterOptions } from './quit-redis.js';

/** KEYS[1]: the file's pieces. ARGV: start, end, size, keepMs, maxPieces. 1 when covered. */
const ADD_PART = `
local cs, ce = tonumber(ARGV[1]), tonumber(ARGV[2])
local size, keep, max = tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local out = {}
local placed = false
local raw = redis.call('GET', KEYS[1])
if raw then
  for ps, pe in string.gmatch(raw, '(%d+)-(%d+)') do
    ps, pe = tonumber(ps), tonumber(pe)
    if pe + 1 < cs then
      out[#out + 1] = ps .. '-' .. pe
    elseif ps > ce + 1 then
      if not placed then out[#out + 1] = string.format('%d-%d', cs, ce); placed = true end
      out[#out + 1] = ps .. '-' .. pe
    else
      cs, ce = math.min(cs, ps), math.max(ce, pe)
    end
  end
end
if not placed then out[#out + 1] = string.format('%d-%d', cs, ce) end
if #out == 1 and cs <= 0 and ce >= size - 1 then
  redis.call('DEL', KEYS[1])
  return 1
end
if #out > max then
  redis.call('DEL', KEYS[1])
  return 0
end
redis.call('SET', KEYS[1], table.concat(out, ','), 'PX', keep)
return 0
`;

/** The script as an ioredis command (defineCommand adds it at run time). */
interface PartScripts {
  servedPartsAdd(key: string, ...args: string[]): Promise<number>;
}

/** Settings for RedisServedParts. */
export type RedisServedPartsOptions = RedisAdapterOptions;

/** Redis implementation of the ServedParts port. */
export class RedisServedParts implements ServedParts {
  readonly #redis: Redis & PartScripts;
  readonly #prefix: string;

  constructor(options: RedisServedPartsOptions) {
    // While Redis is away a part fails fast (the download has gone; only its count is lost).
    this.#redis = failFastClient(options, 'redis served parts') as Redis & PartScripts;
    this.#redis.defineCommand('servedPartsAdd', { lua: ADD_PART, numberOfKeys: 1 });
    this.#prefix = `${options.prefix}:parts:`;
  }

  /** Adds the part; true once the file's parts cover it whole. `now` is Redis' own clock here. */
  async add(key: string, range: ByteRange, size: number): Promise<boolean> {
    const hashed = createHash('sha256').update(key, 'utf8').digest('base64url');
    const args = [range.start, range.end, size, FORGET_AFTER_MS, MAX_PIECES].map(String);
    return (await this.#redis.servedPartsAdd(this.#prefix + hashed, ...args)) === 1;
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await quit(this.#redis);
  }
}
