/**
 * One bad letter never holds up another: a mail server that never answers for one address
 * holds that letter's notification jobs (a minute each, retried), and other senders' letters
 * that need no e-mail are composed, routed and printed meanwhile. With one pool of job slots
 * for every kind, JOB_CONCURRENCY hung notifications stopped every other letter until the
 * socket timeout (found in review: 116 s for a paper letter).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { createAvsender } from '../../src/app/accounts.js';
import { openStorage } from '../../src/composition/storage.js';
import { loadSettings } from '../../src/config/load-settings.js';
import { eventually, FNR, sendToPerson, waitForStatus, type Creds } from '../factories.js';
import { startNodeProcess, type NodeProcess } from '../node-process.js';

const [HENGER, PAPIR] = FNR;
const HENGER_EPOST = 'henger@example.no';
const ADRESSE = { navn: 'Kari', adresse1: 'Gata 1', postNummer: '5003', postSted: 'Bergen' };

describe('a mail server that hangs for one address', () => {
  let dir: string;
  let proc: NodeProcess | undefined;
  let server: SMTPServer;
  let held = 0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-notify-hang-'));
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address === HENGER_EPOST) {
          held += 1; // never answered
          return;
        }
        callback();
      },
    });
    server.on('error', () => undefined); // the killed node resets its sockets
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // HENGER has an e-mail address; PAPIR is not in KRR and goes on paper.
    await writeFile(
      join(dir, 'krr.json'),
      JSON.stringify({
        personer: [
          {
            personidentifikator: HENGER,
            reservasjon: 'NEI',
            status: 'AKTIV',
            kontaktinformasjon: { epostadresse: HENGER_EPOST },
          },
        ],
      }),
    );
  });
  after(async () => {
    if (proc !== undefined) await proc.kill9();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  /** A new avsender named `navn` in the store of `dataDir`. */
  const avsender = async (dataDir: string, navn: string): Promise<Creds> => {
    const storage = await openStorage(loadSettings([], { DATA_DIR: dataDir }));
    const { servicePassword } = await createAvsender(storage.config, { navn, now: Date.now() });
    await storage.close();
    return { user: navn, password: servicePassword };
  };

  it('prints another sender’s letter while every notification slot waits on it', { timeout: 60_000 }, async () => {
    const dataDir = join(dir, 'data');
    const treg = await avsender(dataDir, 'Tregkommune');
    const annen = await avsender(dataDir, 'Annenkommune');
    const { port } = server.server.address() as { port: number };
    proc = await startNodeProcess({
      DATA_DIR: dataDir,
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      KRR_FILE: join(dir, 'krr.json'),
      JOB_CONCURRENCY: '2',
      JOB_POLL_MS: '50',
    });
    for (let i = 0; i < 3; i += 1) await sendToPerson(proc.url, treg, HENGER, ADRESSE);
    await eventually(async () => (held >= 2 ? true : undefined), 30_000, 'two notifications held at RCPT TO');

    const paper = await sendToPerson(proc.url, annen, PAPIR, ADRESSE);
    // The mail client's socket timeout is 60 s: a letter held behind the hung jobs takes that long.
    await waitForStatus(proc.url, annen, paper, 'SENDT_PRINT', 15_000);
    assert.ok(held >= 2, 'the notifications were still held while the letter was printed');
  });
});
