/**
 * Reply batches of the emulated MongoDB (emulated-mongo.ts), cut at 16 MiB as a server's
 * are: CongoDB answers 101 documents whatever their size.
 */
import { Long } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';
import type { Doc, ParsedCommand } from './emulated-mongo-storage.js';

const MAX_BATCH_BYTES = 16 * 1024 * 1024;

/** CongoDB's cursor table (private in its router), where a cut batch leaves the rest. */
export interface CursorTable {
  readonly cursors: Map<
    bigint,
    {
      id: bigint;
      database: string;
      collection: string;
      documents: unknown[];
      position: number;
      batchSize: number;
      createdAt: Date;
    }
  >;
  cursorIdCounter: bigint;
}

/**
 * Cuts a reply's batch at 16 MiB, as a server does (a batch is bounded by the BSON document
 * size), leaving the rest on the cursor for getMore: CongoDB answers 101 documents whatever
 * their size, and 101 GridFS chunks overrun what a reply may carry.
 */
export function cutBatch(answer: Doc, table: CursorTable, { command, database }: ParsedCommand): Doc {
  const cursor = answer['cursor'] as
    { id: Long; ns: string; firstBatch?: unknown[]; nextBatch?: unknown[] } | undefined;
  if (cursor === undefined) return answer;
  const batch = cursor.firstBatch ?? cursor.nextBatch ?? [];
  let bytes = 0;
  let cut = batch.length;
  for (let i = 0; i < batch.length; i++) {
    bytes += approximateSize(batch[i]);
    if (bytes > MAX_BATCH_BYTES && i > 0) {
      cut = i;
      break;
    }
  }
  if (cut === batch.length) return answer;
  const rest = batch.slice(cut);
  const kept = batch.slice(0, cut);
  let id = cursor.id.toBigInt();
  const state = table.cursors.get(id);
  if (state !== undefined) {
    state.documents = [...rest, ...state.documents.slice(state.position)];
    state.position = 0;
  } else {
    id = table.cursorIdCounter++;
    const collection = cursor.ns.slice(database.length + 1);
    const batchSize = Number(
      (command['batchSize'] as number | undefined) ??
        ((command['cursor'] as Doc | undefined)?.['batchSize'] as number | undefined) ??
        101,
    );
    table.cursors.set(id, { id, database, collection, documents: rest, position: 0, batchSize, createdAt: new Date() });
  }
  const cutCursor = {
    ...cursor,
    id: Long.fromBigInt(id),
    ...(cursor.firstBatch !== undefined ? { firstBatch: kept } : { nextBatch: kept }),
  };
  return { ...answer, cursor: cutCursor };
}

function approximateSize(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return value.length + 5;
  if (typeof value !== 'object') return 8;
  const v = value as { _bsontype?: string; buffer?: Uint8Array; position?: number };
  if (v._bsontype === 'Binary') return (v.position ?? v.buffer?.byteLength ?? 0) + 5;
  if (value instanceof Uint8Array) return value.byteLength + 5;
  let size = 5;
  for (const [k, x] of Object.entries(value as Doc)) size += k.length + 2 + approximateSize(x);
  return size;
}
