/**
 * Structured logs (issue #6 "Operations"): the lines about one forsendelse — intake, status
 * changes, job runs, the notification, the print hand-over — carry its `forsendelseId`, and
 * no line carries a fødselsnummer, not even the refused one a caller sent. The node logs
 * through the same createLogger as `npm start`, into a stream the test reads.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAvsender } from '../../src/app/accounts.js';
import { createLogger, maskFodselsnummer } from '../../src/composition/logging.js';
import { startNode, type BudbringerNode } from '../../src/composition/node.js';
import { loadSettings } from '../../src/config/load-settings.js';
import { eventually, FNR, letterPdf, restForsendelse, restSend, waitForStatus, type Creds } from '../factories.js';

/** A parsed log line. */
type Line = Record<string, unknown> & { msg?: string; forsendelseId?: string };

describe('forsendelse logs', () => {
  let dir: string;
  let node: BudbringerNode;
  let creds: Creds;
  const raw: string[] = [];
  let digitalId: string;
  let printId: string;
  const INVALID_FNR = '01019000084';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-logs-'));
    // FNR[0] has an e-mail address (digital, notified); FNR[1] is not in the register (print).
    const krr = join(dir, 'krr.json');
    await writeFile(
      krr,
      JSON.stringify({
        personer: [
          {
            personidentifikator: FNR[0],
            reservasjon: 'NEI',
            status: 'AKTIV',
            kontaktinformasjon: { epostadresse: 'kari@example.no' },
          },
        ],
      }),
    );
    const settings = loadSettings([join(import.meta.dirname, '..', '..', 'config', 'default.json')], {
      DATA_DIR: join(dir, 'data'),
      PORT: '0',
      HOST: '127.0.0.1',
      JOB_POLL_MS: '50',
      KRR_FILE: krr,
    });
    node = await startNode(settings, createLogger('debug', { write: (line: string) => void raw.push(line) }));
    const { servicePassword } = await createAvsender(node.storage.config, { navn: 'Loggkommune', now: Date.now() });
    creds = { user: 'Loggkommune', password: servicePassword };
    const pdf = await letterPdf();
    const digital = await restSend(node.url, creds, restForsendelse(), [{ filename: 'brev.pdf', bytes: pdf }]);
    assert.equal(digital.status, 200, JSON.stringify(digital.body));
    digitalId = digital.body.id as string;
    const paper = await restSend(
      node.url,
      creds,
      restForsendelse({
        mottaker: {
          postAdresse: { navn: 'Per', adresse1: 'Vei 2', postNummer: '9008', postSted: 'Tromsø' },
          digitalAdresse: { fodselsNummer: FNR[1] },
        },
      }),
      [{ filename: 'brev.pdf', bytes: pdf }],
    );
    assert.equal(paper.status, 200, JSON.stringify(paper.body));
    printId = paper.body.id as string;
    const refused = await restSend(
      node.url,
      creds,
      restForsendelse({
        mottaker: {
          postAdresse: { navn: 'Ola', adresse1: 'Vei 3', postNummer: '0155', postSted: 'Oslo' },
          digitalAdresse: { fodselsNummer: INVALID_FNR },
        },
      }),
      [{ filename: 'brev.pdf', bytes: pdf }],
    );
    assert.equal(refused.status, 400);
    await waitForStatus(node.url, creds, digitalId, 'VARSLET');
    await waitForStatus(node.url, creds, printId, 'SENDT_PRINT');
    // "job done" is written once a handler has returned, a moment after its status change.
    const done = (id: string, type: string) =>
      raw.some((l) => l.includes(id) && l.includes('"job done"') && l.includes(`"jobType":"${type}"`));
    await eventually(
      async () => (done(digitalId, 'notify') && done(printId, 'compose') ? true : undefined),
      15_000,
      'the notify and compose jobs to finish',
    );
  });
  after(async () => {
    await node?.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const lines = (): Line[] => raw.map((l) => JSON.parse(l) as Line);
  const about = (id: string): Line[] => lines().filter((l) => l.forsendelseId === id);

  it('writes one JSON object per line', () => {
    assert.ok(raw.length > 10);
    for (const l of raw) assert.ok(l.endsWith('\n') && !l.slice(0, -1).includes('\n'), l);
  });

  it('carries the forsendelse id on intake, status changes, job runs, the notification and the print hand-over', () => {
    const digital = about(digitalId);
    const messages = digital.map((l) => l.msg);
    for (const msg of [
      'intake accepted',
      'forsendelse received',
      'forsendelse accepted',
      'channel chosen',
      'notification sent',
      'job done',
    ]) {
      assert.ok(messages.includes(msg), `${msg} for the digital letter: ${messages.join(', ')}`);
    }
    const sent = digital.find((l) => l.msg === 'notification sent');
    assert.deepEqual(sent?.kanaler, ['epost']);
    assert.equal(sent?.status, 'VARSLET');
    const jobs = digital.filter((l) => l.msg === 'job done').map((l) => l.jobType);
    // The channel is chosen with the acceptance (the compose job), so no route job runs.
    assert.ok(jobs.includes('compose') && jobs.includes('notify') && !jobs.includes('route'), jobs.join(', '));
    assert.ok(
      digital.filter((l) => l.msg === 'job done').every((l) => typeof l.ms === 'number' && typeof l.jobId === 'string'),
    );

    const paper = about(printId);
    const handedOver = paper.find((l) => l.msg === 'print handed over');
    assert.ok(handedOver, paper.map((l) => l.msg).join(', '));
    assert.equal(handedOver.status, 'SENDT_PRINT');
    assert.equal(handedOver.leverandor, 'filedrop');
    // A letter that goes on paper at once is handed over by its compose job: no print job runs.
    const paperJobs = paper.filter((l) => l.msg === 'job done').map((l) => l.jobType);
    assert.ok(paperJobs.includes('compose') && !paperJobs.includes('print'), paperJobs.join(', '));
    // The two letters' lines never mix.
    assert.ok(!digital.some((l) => l.msg === 'print handed over'));
  });

  it('logs the refused intake by field, without the value', () => {
    const refused = lines().find((l) => l.msg === 'intake refused');
    assert.ok(refused);
    assert.equal(refused.code, 'VALIDERINGSFEIL');
    assert.ok(
      (refused.felt as string[]).some((f) => /fnr|fodselsnummer/i.test(f)),
      JSON.stringify(refused.felt),
    );
  });

  it('never writes a fødselsnummer', () => {
    const all = raw.join('');
    for (const fnr of [FNR[0], FNR[1], INVALID_FNR]) assert.ok(!all.includes(fnr), `${fnr} in the log`);
  });

  it('masks an 11-digit run whatever writes it, and leaves other numbers alone', () => {
    assert.equal(
      maskFodselsnummer('{"msg":"Ugyldig fødselsnummer: 01019000084"}'),
      '{"msg":"Ugyldig fødselsnummer: ***********"}',
    );
    assert.equal(
      maskFodselsnummer('fnr 010190 00083, 010190-00083 og 010190.00083'),
      'fnr ************, ************ og ************',
    );
    const untouched =
      '{"orgnr":"974760673","time":1764620000000,"tlf":"41234567","id":"0b3c1a2e-1111-4222-8333-123456789012"}';
    assert.equal(maskFodselsnummer(untouched), untouched);
    const lines: string[] = [];
    createLogger('info', { write: (l: string) => void lines.push(l) }).info(
      { err: new Error(`KRR svarte 500 for ${FNR[2]}`) },
      `oppslag ${FNR[2]}`,
    );
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]?.includes(FNR[2]));
    assert.match(lines[0] ?? '', /oppslag \*{11}/);
  });
});
