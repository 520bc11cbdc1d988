/**
 * One notification e-mail per letter across `kill -9` (issue 6, "no notification goes out
 * twice", and each digital letter gets its e-mail). A real SMTP server on loopback holds
 * two conversations at the two points that matter, the node is killed, and a new process
 * on the same DATA_DIR takes the jobs over once their lease lapses:
 * - held at RCPT TO, before the content left: the e-mail is sent again, and arrives once;
 * - held after the content arrived, before the server's 250: the e-mail is not sent again
 *   (the server has it), and the history says the notification was cut off.
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
import {
  eventually,
  FNR,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  waitForStatus,
  type Creds,
} from '../factories.js';
import { onMessage } from '../mail-server.js';
import { startNodeProcess, type NodeProcess } from '../node-process.js';

const [FORAN, UNDERVEIS] = FNR;
const FORAN_EPOST = 'foran@example.no';
const UNDERVEIS_EPOST = 'underveis@example.no';

/** An SMTP server that holds its first answer to RCPT TO for FORAN_EPOST and every answer to the content for UNDERVEIS_EPOST. */
async function startHoldingSmtp(): Promise<{
  url: string;
  mails: string[];
  heldRcpt: () => boolean;
  heldData: () => boolean;
  close: () => Promise<void>;
}> {
  const mails: string[] = [];
  let rcptHeld = false;
  let dataHeld = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === FORAN_EPOST && !rcptHeld) {
        rcptHeld = true; // never answered: the sender dies waiting
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      onMessage(stream, () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        mails.push(...to);
        if (to.includes(UNDERVEIS_EPOST))
          dataHeld = true; // the mail is here; the 250 never goes out
        else callback();
      });
    },
  });
  server.on('error', () => undefined); // the killed sender resets its sockets
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    heldRcpt: () => rcptHeld,
    heldData: () => dataHeld,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('notification e-mail across kill -9', () => {
  let dir: string;
  let creds: Creds;
  let smtp: Awaited<ReturnType<typeof startHoldingSmtp>>;
  let proc: NodeProcess | undefined;
  const env = (): Record<string, string> => ({
    DATA_DIR: join(dir, 'data'),
    SMTP_URL: smtp.url,
    KRR_FILE: join(dir, 'krr.json'),
    JOB_LEASE_MS: '2000',
    JOB_POLL_MS: '50',
  });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-notify-kill9-'));
    smtp = await startHoldingSmtp();
    const person = (fnr: string, epost: string): unknown => ({
      personidentifikator: fnr,
      reservasjon: 'NEI',
      status: 'AKTIV',
      kontaktinformasjon: { epostadresse: epost },
    });
    await writeFile(
      join(dir, 'krr.json'),
      JSON.stringify({ personer: [person(FORAN, FORAN_EPOST), person(UNDERVEIS, UNDERVEIS_EPOST)] }),
    );
    const storage = await openStorage(loadSettings([], { DATA_DIR: join(dir, 'data') }));
    const { servicePassword } = await createAvsender(storage.config, { navn: 'Varselkommune', now: Date.now() });
    await storage.close();
    creds = { user: 'Varselkommune', password: servicePassword };
  });
  after(async () => {
    if (proc !== undefined && proc.child.exitCode === null && proc.child.signalCode === null) await proc.kill9();
    await smtp.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it(
    'resends an e-mail cut off before its content left, and never one cut off after',
    { timeout: 90_000 },
    async () => {
      proc = await startNodeProcess(env());
      const send = async (fnr: string): Promise<string> => {
        const json = restForsendelse({
          mottaker: {
            postAdresse: { navn: 'Kari', adresse1: 'Gata 1', postNummer: '5003', postSted: 'Bergen' },
            digitalAdresse: { fodselsNummer: fnr },
          },
        });
        const r = await restSend(proc!.url, creds, json, [{ filename: 'brev.pdf', bytes: await letterPdf() }]);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.id as string;
      };
      const foran = await send(FORAN);
      const underveis = await send(UNDERVEIS);
      await eventually(
        async () => (smtp.heldRcpt() && smtp.heldData() ? true : undefined),
        30_000,
        'both conversations held',
      );
      await proc.kill9();
      assert.deepEqual(
        smtp.mails,
        [UNDERVEIS_EPOST],
        'at the kill, the server has the one mail whose content was sent',
      );

      proc = await startNodeProcess(env());
      for (const id of [foran, underveis]) await waitForStatus(proc.url, creds, id, 'VARSLET', 30_000);
      const historikk = async (id: string): Promise<string[]> =>
        (await restCall(proc!.url, creds, `/${id}/historikk`)).body.hendelsesLogger.map(
          (h: { hendelse: string }) => h.hendelse,
        );

      assert.equal(
        smtp.mails.filter((to) => to === FORAN_EPOST).length,
        1,
        'cut off before its content: sent again, arrives once',
      );
      assert.ok(
        (await historikk(foran)).some((l) => /^Varsling sendt til mottaker på e-post\. Lesefristen utløper/.test(l)),
      );

      assert.equal(
        smtp.mails.filter((to) => to === UNDERVEIS_EPOST).length,
        1,
        'cut off after its content: not sent again',
      );
      const lines = await historikk(underveis);
      assert.ok(
        lines.some((l) => /^Varsling ble avbrutt underveis mens e-posten ble overført.*Lesefristen utløper/.test(l)),
        lines.join(' | '),
      );
      assert.equal(await proc.stop(), 0);
      proc = undefined;
    },
  );
});
