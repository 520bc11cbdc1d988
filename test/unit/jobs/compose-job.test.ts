/**
 * The compose job's limits, on the real actors over real SQLite, a real file blob store and
 * real PDF worker threads. A build stopped by the node's own limits (its time budget, here
 * 1 ms for every compose) is the machine's load of the moment, not the sender's documents:
 * it is retried, and only one that goes over on every one of ten attempts rejects the
 * letter, naming why. A build stopped because the node is shutting down is retried however
 * many attempts it has had. A damaged stored document rejects the letter after three.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ForsendelseActors } from '../../../src/actors/forsendelse-registry.js';
import { LetterFiles } from '../../../src/app/letter-files.js';
import { MottakersystemService } from '../../../src/app/mottakersystemer.js';
import { FileContactRegister } from '../../../src/channels/krr/index.js';
import { FiledropPrintProvider, ManualPrintProvider } from '../../../src/channels/print/index.js';
import { composeJob } from '../../../src/jobs/compose-job.js';
import { PdfWorkStopped, startPdfWorkers, type PdfWorkers } from '../../../src/pdf/index.js';
import { PermanentJobError, type JobHandler } from '../../../src/storage/ports.js';
import { SqliteMottakersystemRegister } from '../../../src/storage/sqlite/index.js';
import { AVSENDER, input, stored } from '../domain/given.js';
import { letterPdf } from '../../factories.js';
import { startJobWorld, type JobWorld } from './job-world.js';

describe('compose job: when a build is stopped', () => {
  let world: JobWorld<ForsendelseActors>;
  let pdf: PdfWorkers;
  let compose: (pdfWork: PdfWorkers) => JobHandler;

  before(async () => {
    world = await startJobWorld('compose-job', ForsendelseActors);
    const { dir, db, blobs, actors, config, keys } = world;
    // Every compose is over a 1 ms budget; checks have a minute.
    pdf = startPdfWorkers(1, { budget: { inspectMs: 60_000, composeMs: 1, perMbMs: 0 } });
    compose = (pdfWork) =>
      composeJob({
        actors,
        blobs,
        files: new LetterFiles(blobs, keys),
        pdf: pdfWork,
        config,
        // KRR_FILE set but not there: KRR cannot be asked, so the inbox copy is built.
        krr: new FileContactRegister(join(dir, 'krr.json')),
        mottakersystemer: new MottakersystemService({
          register: new SqliteMottakersystemRegister(db),
          now: () => Date.now(),
        }),
        printProviders: { filedrop: new FiledropPrintProvider(join(dir, 'print')), manual: new ManualPrintProvider() },
        now: () => Date.now(),
      });
  });

  after(async () => {
    await pdf.close();
    await world.close();
  });

  /** A new letter to a person whose document is `bytes`, stored. */
  async function received(bytes: Uint8Array): Promise<string> {
    const id = randomUUID();
    const ref = await world.blobs.put(bytes);
    await world.actors.execute(
      id,
      {
        type: 'Motta',
        at: Date.now(),
        id,
        avsender: AVSENDER,
        input: input(),
        dokumenter: [{ ...stored(), blob: { sha256: ref.sha256, size: ref.size } }],
      },
      [ref.sha256],
    );
    return id;
  }

  const attempt = (handler: JobHandler, id: string, n: number) =>
    handler({ id: `compose:${id}`, type: 'compose', payload: { forsendelseId: id }, attempt: n });

  it('retries a build over the time budget, and rejects the letter naming why on the tenth attempt', async () => {
    const id = await received(await letterPdf());
    const handler = compose(pdf);
    for (const n of [1, 9]) {
      await assert.rejects(
        attempt(handler, id, n),
        (e: unknown) => e instanceof PdfWorkStopped && e.reason === 'overrun',
        `attempt ${n}`,
      );
      assert.equal((await world.actors.state(id))?.status, 'MOTTATT', `still MOTTATT after attempt ${n}`);
    }
    await assert.rejects(
      attempt(handler, id, 10),
      (e: unknown) => e instanceof PermanentJobError && /\(forsøk 10 av 10\)$/.test(e.message),
    );
    const state = await world.actors.state(id);
    assert.equal(state?.status, 'AVVIST');
    assert.match(
      JSON.stringify(state),
      /Forsendelsesfil kunne ikke dannes: PDF-arbeidet brukte mer enn 0 s og ble stoppet/,
      'the reason is in its state',
    );
  });

  it('retries a build stopped by a shutdown however many attempts it has had', async () => {
    const id = await received(await letterPdf());
    const closed = startPdfWorkers(1);
    await closed.close();
    await assert.rejects(
      attempt(compose(closed), id, 500),
      (e: unknown) => e instanceof PdfWorkStopped && e.reason === 'stopped',
    );
    assert.equal((await world.actors.state(id))?.status, 'MOTTATT');
  });

  it('rejects a letter whose stored document is damaged on the third attempt, not before', async () => {
    const bytes = await letterPdf();
    const id = await received(bytes);
    const sha256 = (await world.actors.state(id))?.dokumenter[0]?.blob.sha256 ?? '';
    await writeFile(join(world.dir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256), 'ikke lenger en PDF\n');
    const handler = compose(startPdfWorkers(0));
    await assert.rejects(attempt(handler, id, 2), /skadet/);
    assert.equal((await world.actors.state(id))?.status, 'MOTTATT');
    await assert.rejects(
      attempt(handler, id, 3),
      (e: unknown) => e instanceof PermanentJobError && /\(forsøk 3 av 3\)$/.test(e.message),
    );
    assert.equal((await world.actors.state(id))?.status, 'AVVIST');
  });
});
