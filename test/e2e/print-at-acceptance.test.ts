/**
 * A letter that goes on paper at once is handed to print by its compose job, with the copy
 * it has just built, and its acceptance, channel and hand-over are written in one change: no
 * print job runs (docs/architecture.md step 4). When the print drop fails at that moment, the
 * acceptance is written without it and the print job takes the hand-over over, with the
 * queue's retries and the error in the queue, as for a letter that goes on paper later. No
 * KRR is configured here, so every letter goes on paper.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SqliteJobQueue } from '../../src/storage/sqlite/index.js';
import { eventually, FNR, sendToPerson, startTestNode, waitForStatus, type Creds } from '../factories.js';

const ADDRESS = { navn: 'Ola Papir', adresse1: 'Gata 2', postNummer: '5003', postSted: 'Bergen' };

describe('print at acceptance', () => {
  let dir: string;
  let printDir: string;
  let t: Awaited<ReturnType<typeof startTestNode>>;
  let creds: Creds;
  let jobs: SqliteJobQueue;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-print-at-acceptance-'));
    printDir = join(dir, 'print');
    // A file where the print directory should be: every drop fails until it is a directory.
    await writeFile(printDir, 'not a directory');
    t = await startTestNode({ PRINT_DIR: printDir }, join(dir, 'data'));
    creds = await t.sender('Papirkommune');
    assert.ok(t.node.storage.jobs instanceof SqliteJobQueue, 'the embedded queue');
    jobs = t.node.storage.jobs;
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const events = async (id: string): Promise<string[]> =>
    (await t.node.storage.journal.read(`forsendelse:${id}`, 0)).map((e) => (e.data as { type: string }).type);

  it('a failed drop at acceptance: accepted without it, and the print job hands the copy over once the drop works', async () => {
    const id = await sendToPerson(t.url, creds, FNR[0], ADDRESS);
    const failure = await eventually(async () => jobs.lastError(`print:${id}`), 15_000, 'a failed print attempt');
    assert.match(failure, /printkatalogen/);
    const waiting = await t.node.actors.state(id);
    assert.equal(waiting?.status, 'AKSEPTERT');
    assert.equal(waiting.kanal, 'print');
    assert.ok(waiting.printfil !== undefined, 'the print copy was built and registered');
    assert.equal(waiting.sendtPrintAt, undefined);

    await rm(printDir);
    await mkdir(printDir);
    await waitForStatus(t.url, creds, id, 'SENDT_PRINT', 30_000);
    // The print job journals its intent before the hand-over (UtskriftStartet, since 7 December 2026).
    assert.deepEqual(await events(id), ['Mottatt', 'Akseptert', 'KanalValgt', 'UtskriftStartet', 'SendtPrint']);
    const state = await t.node.actors.state(id);
    const printed = await readFile(join(printDir, `${id}.pdf`));
    assert.equal(createHash('sha256').update(printed).digest('hex'), state?.printfil?.sha256);
    assert.equal(
      await eventually(async () => ((await jobs.state(`print:${id}`)) === 'completed' ? true : undefined)),
      true,
    );
  });

  it('a drop that works: accepted, channel chosen and handed over in one write, without a print job', async () => {
    const id = await sendToPerson(t.url, creds, FNR[1], ADDRESS);
    await waitForStatus(t.url, creds, id, 'SENDT_PRINT');
    assert.deepEqual(await events(id), ['Mottatt', 'Akseptert', 'KanalValgt', 'SendtPrint']);
    const state = await t.node.actors.state(id);
    assert.equal(state?.printLeverandor, 'filedrop');
    const printed = await readFile(join(printDir, `${id}.pdf`));
    assert.equal(createHash('sha256').update(printed).digest('hex'), state?.printfil?.sha256);
    const manifest = JSON.parse(await readFile(join(printDir, `${id}.json`), 'utf8')) as { sider: number };
    assert.equal(manifest.sider, state?.printfil?.sider);
    assert.equal(await jobs.state(`print:${id}`), undefined, 'no print job');
  });
});
