/**
 * Seeds letters for the memory and restart figures (100 000 through HTTP would not fit in
 * the bench's 10 minutes on 2 cores). Each letter is run through the domain decider with
 * the commands the jobs send (Motta, RegistrerForsendelsesfil, VelgKanal, then either
 * StartVarsling + RegistrerVarsling or RegistrerSendtPrint), and stored through the
 * node's own storage adapters exactly as the forsendelse actor stores it: the events in
 * the journal under `forsendelse:<id>` with seq 1..n, the read-model record, and the
 * pending jobs (the delayed deadline and purge jobs) with their deterministic ids.
 * Letters of the last day wait VARSLET for their print deadline; older ones are
 * SENDT_PRINT. All of them reference one document and one forsendelsesfil blob, which
 * are stored for real, so a seeded letter can be opened and downloaded.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { decide } from '../../src/domain/decide.js';
import type { ForsendelseCommand } from '../../src/domain/commands.js';
import type { ForsendelseEvent } from '../../src/domain/events.js';
import type { ForsendelseInput } from '../../src/domain/model.js';
import { evolve, type ForsendelseState } from '../../src/domain/forsendelse-state.js';
import { pendingWork, type WorkPolicy } from '../../src/domain/pending-work.js';
import { toRecord } from '../../src/domain/record.js';
import { forsendelseFromV1Json } from '../../src/http/rest/v1-forsendelse-json.js';
import { composeForsendelsesfil } from '../../src/pdf/index.js';
import { FileBlobStore } from '../../src/storage/files/index.js';
import type { Json } from '../../src/storage/ports.js';
import {
  openSqlite,
  SqliteJobQueue,
  SqliteJournal,
  SqliteReadModel,
  type SqliteDatabase,
} from '../../src/storage/sqlite/index.js';
import { benchForsendelseJson } from './letters.js';

const DAY = 24 * 3600_000;
/** Seeded letters are spread over this many days before now (the admin search's periods). */
export const SEED_SPAN_DAYS = 30;

/** What seeding needs. */
export interface SeedOptions {
  readonly dataDir: string;
  /** The avsendere the letters are spread over (round robin); they must exist. */
  readonly avsendere: readonly string[];
  readonly letter: Uint8Array;
  readonly policy: WorkPolicy;
  readonly now: number;
}

/** Letter `i` of `total`: its time, avsender and id. */
function plan(i: number, total: number, options: SeedOptions): { at: number; avsender: string; id: string } {
  // Oldest first, evenly over the span, ending a minute before now.
  const at = options.now - 60_000 - Math.floor(((total - 1 - i) * SEED_SPAN_DAYS * DAY) / total);
  return { at, avsender: options.avsendere[i % options.avsendere.length] as string, id: randomUUID() };
}

/** Seeds letters number `from` (inclusive) to `to` (exclusive) of a seeding of `total`; returns their ids. */
export async function seedLetters(from: number, to: number, total: number, options: SeedOptions): Promise<string[]> {
  const db: SqliteDatabase = openSqlite(join(options.dataDir, 'budbringer.sqlite'));
  const journal = new SqliteJournal(db);
  const readModel = new SqliteReadModel(db);
  const jobs = new SqliteJobQueue(db, { pollMs: 60_000 });
  const blobs = new FileBlobStore(join(options.dataDir, 'blobs'));
  try {
    const doc = await blobs.put(options.letter);
    const forsendelsesfilBytes = await composeForsendelsesfil({
      forside: {
        avsender: {
          navn: 'Bench kommune',
          adresselinjer: ['Rådhuset'],
          postnr: '0150',
          poststed: 'Oslo',
          tekst: 'Seeded.',
        },
        mottaker: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postnr: '0155', poststed: 'Oslo' },
        tittel: 'Vedtak',
        dato: options.now,
      },
      documents: [{ bytes: options.letter, ekskluderesFraPrint: false }],
      variant: 'digital',
    });
    const fil = { ...(await blobs.put(forsendelsesfilBytes.bytes)), sider: forsendelsesfilBytes.pages };
    const ids: string[] = [];
    const BATCH = 1000;
    for (let start = from; start < to; start += BATCH) {
      const end = Math.min(to, start + BATCH);
      const writes: Promise<unknown>[] = [];
      // One transaction per batch; the adapters' own transactions nest as savepoints.
      db.transaction(() => {
        for (let i = start; i < end; i++) {
          const { at, avsender, id } = plan(i, total, options);
          ids.push(id);
          writes.push(...storeLetter(journal, readModel, jobs, options, id, avsender, at, i, doc, fil));
        }
      }).immediate();
      await Promise.all(writes);
    }
    return ids;
  } finally {
    await jobs.close();
    await blobs.close();
    db.close();
    // On disk before a node starts on it: a node's start (restart_ready_ms) is measured on
    // data stored long ago, not while the kernel still writes back a seeding of seconds ago.
    const fd = openSync(join(options.dataDir, 'budbringer.sqlite'), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

let baseInput: ForsendelseInput | undefined;

/** Decides and stores one letter; the returned promises settle at once (the adapters write synchronously). */
function storeLetter(
  journal: SqliteJournal,
  readModel: SqliteReadModel,
  jobs: SqliteJobQueue,
  options: SeedOptions,
  id: string,
  avsender: string,
  at: number,
  n: number,
  doc: { sha256: string; size: number },
  fil: { sha256: string; size: number; sider: number },
): Promise<unknown>[] {
  // Parsed once (it is the REST door's own parser); only the title and reference vary.
  baseInput ??= forsendelseFromV1Json(benchForsendelseJson(0));
  const input: ForsendelseInput = { ...baseInput, tittel: `Vedtak om barnehageplass ${n}`, eksternref: `bench-${n}` };
  const recent = options.now - at < DAY;
  const commands: ForsendelseCommand[] = [
    { type: 'Motta', at, id, avsender, input, dokumenter: [{ ...input.dokumenter[0]!, blob: doc, sider: 2 }] },
    { type: 'RegistrerForsendelsesfil', at: at + 1500, forsendelsesfil: fil },
  ];
  if (recent) {
    commands.push(
      {
        type: 'VelgKanal',
        at: at + 1700,
        kanal: 'digital',
        grunn: 'Mottaker har kontaktinformasjon i KRR',
        varsling: { epost: 'kari@example.no' },
      },
      { type: 'StartVarsling', at: at + 1800 },
      // The real deadline is 40 working hours on; a fixed 2 days keeps every seeded deadline in the future.
      {
        type: 'RegistrerVarsling',
        at: at + 2500,
        kanaler: ['epost'],
        fristAt: options.now + 2 * DAY + (n % 3600) * 1000,
      },
    );
  } else {
    commands.push(
      { type: 'VelgKanal', at: at + 1700, kanal: 'print', grunn: 'Mottaker er ikke i KRR' },
      { type: 'RegistrerSendtPrint', at: at + 4000, leverandor: 'filedrop', printfil: fil },
    );
  }
  let state: ForsendelseState | undefined;
  const events: ForsendelseEvent[] = [];
  for (const command of commands) {
    for (const event of decide(state, command)) {
      events.push(event);
      state = evolve(state, event);
    }
  }
  const expected = recent ? 'VARSLET' : 'SENDT_PRINT';
  if (state?.status !== expected) throw new Error(`seeding: letter ${n} ended ${state?.status}, expected ${expected}`);
  const key = `forsendelse:${id}`;
  const writes: Promise<unknown>[] = [
    journal.append(events.map((e, i) => ({ key, seq: i + 1, data: e as unknown as Json, tags: [], createdAt: e.at }))),
  ];
  for (const work of pendingWork(state, options.policy)) {
    writes.push(
      jobs.enqueue({ id: `${work.kind}:${id}`, type: work.kind, payload: { forsendelseId: id }, runAt: work.runAt }),
    );
  }
  writes.push(readModel.upsert(toRecord(state, events.length)));
  return writes;
}
