/**
 * The print job's hand-over, on the real actors over real SQLite, a real file blob store and
 * the file drop in a temporary directory. A letter read or closed by hand while its copy was
 * being built is not handed over; one read or closed by hand after the intent (StartUtskrift)
 * is, and its print is recorded with its status kept. Before (review of 7 December 2026) a
 * read during the build of a large copy left the copy in the drop and the history saying the
 * letter was never printed, so the provider's receipts for it were refused.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ForsendelseActors } from '../../../src/actors/forsendelse-registry.js';
import { LetterFiles } from '../../../src/app/letter-files.js';
import { FiledropPrintProvider, ManualPrintProvider } from '../../../src/channels/print/index.js';
import type { ForsendelseCommand } from '../../../src/domain/commands.js';
import type { ForsendelseEvent } from '../../../src/domain/events.js';
import { printJob, type PrintJobDeps } from '../../../src/jobs/print-job.js';
import type { FileBlobStore } from '../../../src/storage/files/index.js';
import type { SqliteJournal } from '../../../src/storage/sqlite/index.js';
import { motta, FNR } from '../domain/given.js';
import { letterPdf } from '../../factories.js';
import { startJobWorld, type JobWorld } from './job-world.js';

/** The registry, running a command of another party on the letter just before or after its print intent. */
class InterleavingActors extends ForsendelseActors {
  beforeIntent: ForsendelseCommand | undefined;
  afterIntent: ForsendelseCommand | undefined;
  /** The run dies before its record reaches the actor (a kill -9 right after the drop). */
  dieBeforeRecord = false;
  override async execute(
    id: string,
    command: ForsendelseCommand,
    claims?: readonly string[],
  ): ReturnType<ForsendelseActors['execute']> {
    if (command.type === 'RegistrerSendtPrint' && this.dieBeforeRecord) throw new Error('killed before the record');
    const intent = command.type === 'StartUtskrift';
    if (intent && this.beforeIntent !== undefined) await super.execute(id, this.beforeIntent);
    const result = await super.execute(id, command, claims);
    if (intent && this.afterIntent !== undefined) await super.execute(id, this.afterIntent);
    return result;
  }
}

describe('print job: the intent before the hand-over', () => {
  let world: JobWorld<InterleavingActors>;
  let printDir: string;
  let journal: SqliteJournal;
  let blobs: FileBlobStore;
  let actors: InterleavingActors;
  let print: ReturnType<typeof printJob>;

  before(async () => {
    world = await startJobWorld('print-job', InterleavingActors);
    ({ journal, blobs, actors } = world);
    printDir = join(world.dir, 'print');
    // The job reads only these: the letters here carry their print copy, so nothing is composed.
    const deps: Pick<PrintJobDeps, 'actors' | 'blobs' | 'files' | 'config' | 'printProviders' | 'now'> = {
      actors,
      blobs,
      files: new LetterFiles(blobs, world.keys),
      config: world.config,
      printProviders: { filedrop: new FiledropPrintProvider(printDir), manual: new ManualPrintProvider() },
      now: () => Date.now(),
    };
    print = printJob(deps as PrintJobDeps);
  });

  after(() => world.close());

  /** A letter for print at once (reserved recipient) whose hand-over at acceptance failed: its copy is stored. */
  async function letterForPrint(): Promise<string> {
    const id = randomUUID();
    const ref = await blobs.put(await letterPdf());
    const printfil = { sha256: ref.sha256, size: ref.size, sider: 2 };
    await actors.execute(id, motta(id));
    await actors.execute(
      id,
      {
        type: 'RegistrerForsendelsesfil',
        at: Date.now(),
        printfil,
        kanalvalg: { kanal: 'print', grunn: 'Mottaker er reservert' },
      },
      [ref.sha256],
    );
    return id;
  }

  /** A letter for print whose run dropped its copy and died before its record (a kill -9 there). */
  async function cutOffAfterDrop(): Promise<string> {
    actors.beforeIntent = actors.afterIntent = undefined;
    const id = await letterForPrint();
    actors.dieBeforeRecord = true;
    await assert.rejects(run(id), /killed before the record/);
    actors.dieBeforeRecord = false;
    return id;
  }

  const run = (id: string) => print({ id: `print:${id}`, type: 'print', payload: { forsendelseId: id }, attempt: 1 });
  const dropped = async (id: string): Promise<string[]> =>
    (await readdir(printDir).catch(() => [])).filter((name) => name.startsWith(id)).sort();
  const journaled = async (id: string): Promise<string[]> =>
    (await journal.read(`forsendelse:${id}`, 0)).map((e) => (e.data as unknown as ForsendelseEvent).type);
  const lest = (): ForsendelseCommand => ({
    type: 'MarkerLestEksternt',
    at: Date.now(),
    datoLest: Date.now(),
    fnr: FNR,
    systemnavn: 'Fagsystem',
  });
  const closed = (): ForsendelseCommand => ({
    type: 'MarkerManueltHandtert',
    at: Date.now(),
    av: 'ola',
    grunn: 'Levert',
  });

  it('given nothing in between, the copy is dropped and the letter is SENDT_PRINT', async () => {
    actors.beforeIntent = actors.afterIntent = undefined;
    const id = await letterForPrint();
    await run(id);
    assert.deepEqual(await dropped(id), [`${id}.json`, `${id}.pdf`]);
    assert.equal((await actors.state(id))?.status, 'SENDT_PRINT');
    assert.deepEqual((await journaled(id)).slice(-2), ['UtskriftStartet', 'SendtPrint']);
  });

  it('given a read or a close by hand before the intent, nothing is handed over', async () => {
    for (const [command, status] of [
      [lest, 'LEST'],
      [closed, 'MANUELT_HANDTERT'],
    ] as const) {
      actors.beforeIntent = command();
      actors.afterIntent = undefined;
      const id = await letterForPrint();
      await run(id);
      assert.deepEqual(await dropped(id), [], status);
      const state = await actors.state(id);
      assert.equal(state?.status, status);
      assert.equal(state?.sendtPrintAt, undefined);
      assert.ok(!(await journaled(id)).includes('UtskriftStartet'));
    }
  });

  it('given a read or a close by hand after the intent, the copy is handed over and recorded, the status kept', async () => {
    for (const [command, status] of [
      [lest, 'LEST'],
      [closed, 'MANUELT_HANDTERT'],
    ] as const) {
      actors.beforeIntent = undefined;
      actors.afterIntent = command();
      const id = await letterForPrint();
      await run(id);
      assert.deepEqual(await dropped(id), [`${id}.json`, `${id}.pdf`], status);
      const state = await actors.state(id);
      assert.equal(state?.status, status);
      assert.ok(state?.sendtPrintAt !== undefined, `${status}: the print is in its history`);
      assert.equal(state?.printLeverandor, 'filedrop');
    }
  });

  it('given an earlier run whose drop failed after its intent, and the letter closed by hand since, the next run hands nothing over', async () => {
    actors.beforeIntent = actors.afterIntent = undefined;
    const id = await letterForPrint();
    await actors.execute(id, { type: 'StartUtskrift', at: Date.now() });
    await actors.execute(id, closed());
    await run(id);
    assert.deepEqual(await dropped(id), [], 'printed by hand: never twice (docs/operations.md, incidents)');
    const state = await actors.state(id);
    assert.equal(state?.status, 'MANUELT_HANDTERT');
    assert.equal(state?.sendtPrintAt, undefined);
  });

  it('given a run cut off between its drop and its record, and the letter read since, the next run records the copy the drop holds', async () => {
    const id = await cutOffAfterDrop();
    assert.deepEqual(await dropped(id), [`${id}.json`, `${id}.pdf`], 'the copy is with the provider');
    await actors.execute(id, lest());
    await run(id);
    const state = await actors.state(id);
    assert.equal(state?.status, 'LEST');
    assert.ok(state?.sendtPrintAt !== undefined, 'the print is in its history');
    const copy = await readFile(join(printDir, `${id}.pdf`));
    assert.equal(state?.printfil?.sha256, createHash('sha256').update(copy).digest('hex'));
    assert.equal(state?.printfil?.sider, 2);
    assert.ok(Buffer.from(await blobs.get(state.printfil.sha256)).equals(copy), 'the copy is kept with the letter');
  });

  it('given a run cut off after its drop, the letter read since and the files taken by the provider, nothing is recorded', async () => {
    const id = await cutOffAfterDrop();
    for (const name of await dropped(id)) await rm(join(printDir, name));
    await actors.execute(id, lest());
    await run(id);
    const state = await actors.state(id);
    assert.equal(state?.status, 'LEST');
    assert.equal(state?.sendtPrintAt, undefined);
  });

  it('given a run cut off after its drop and the documents deleted since, the next run names the copy without keeping it; the letter stays IKKE_LEVERT', async () => {
    const id = await cutOffAfterDrop();
    await actors.execute(id, { type: 'SlettDokumenter', at: Date.now(), grunn: 'avsender' });
    await blobs.release(id);
    await run(id);
    const state = await actors.state(id);
    assert.equal(state?.status, 'IKKE_LEVERT', 'a final status is not reopened');
    assert.ok(state?.sendtPrintAt !== undefined, 'the print is in its history');
    const copy = await readFile(join(printDir, `${id}.pdf`));
    assert.equal(state?.printfil?.sha256, createHash('sha256').update(copy).digest('hex'));
  });
});
