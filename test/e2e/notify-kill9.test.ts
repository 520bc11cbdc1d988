/**
 * One notification e-mail per letter across `kill -9` (issue 6, "no notification goes out
 * twice", and each digital letter gets its e-mail). A real SMTP server on loopback holds
 * two conversations at the two points that matter, the node is killed, and a new process
 * on the same DATA_DIR takes the jobs over once their lease lapses:
 * - held at RCPT TO, before the content left: the e-mail is sent again, and arrives once;
 * - held after the content arrived, before the server's 250: the e-mail is not sent again
 *   (the server has it), and the history says the notification was cut off.
 * The reminder (REMINDER_BEFORE) is held at the second point the same way: it is not sent
 * again either (until its own marker, the restarted node sent it a second time: review).
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

const [FORAN, UNDERVEIS, PAMINNET] = FNR;
const FORAN_EPOST = 'foran@example.no';
const UNDERVEIS_EPOST = 'underveis@example.no';
const PAMINNET_EPOST = 'paminnet@example.no';

/**
 * An SMTP server that holds its first answer to RCPT TO for FORAN_EPOST, every answer to the
 * content for UNDERVEIS_EPOST, and the answer to the first reminder's content for PAMINNET_EPOST.
 */
async function startHoldingSmtp(): Promise<{
  url: string;
  /** The recipients of every mail whose content arrived. */
  mails: string[];
  /** The recipients of every reminder (Message-ID `<paminnelse.…>`) whose content arrived. */
  reminders: string[];
  heldRcpt: () => boolean;
  heldData: () => boolean;
  heldReminder: () => boolean;
  close: () => Promise<void>;
}> {
  const mails: string[] = [];
  const reminders: string[] = [];
  let rcptHeld = false;
  let dataHeld = false;
  let reminderHeld = false;
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
      onMessage(stream, (raw) => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        mails.push(...to);
        const reminder = /^Message-ID:\s*<paminnelse\./im.test(raw.replace(/\r?\n[ \t]+/g, ' '));
        if (reminder) reminders.push(...to);
        if (to.includes(UNDERVEIS_EPOST))
          dataHeld = true; // the mail is here; the 250 never goes out
        else if (reminder && to.includes(PAMINNET_EPOST) && !reminderHeld)
          reminderHeld = true; // likewise
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
    reminders,
    heldRcpt: () => rcptHeld,
    heldData: () => dataHeld,
    heldReminder: () => reminderHeld,
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
      JSON.stringify({
        personer: [person(FORAN, FORAN_EPOST), person(UNDERVEIS, UNDERVEIS_EPOST), person(PAMINNET, PAMINNET_EPOST)],
      }),
    );
    creds = await avsenderIn(join(dir, 'data'));
  });
  /** A new avsender in the store in `dataDir`. */
  const avsenderIn = async (dataDir: string): Promise<Creds> => {
    const storage = await openStorage(loadSettings([], { DATA_DIR: dataDir }));
    const { servicePassword } = await createAvsender(storage.config, { navn: 'Varselkommune', now: Date.now() });
    await storage.close();
    return { user: 'Varselkommune', password: servicePassword };
  };
  /** Sends a letter to `fnr` (digital, else print) through the node at `url`; its id. */
  const send = async (url: string, as: Creds, fnr: string): Promise<string> => {
    const json = restForsendelse({
      mottaker: {
        postAdresse: { navn: 'Kari', adresse1: 'Gata 1', postNummer: '5003', postSted: 'Bergen' },
        digitalAdresse: { fodselsNummer: fnr },
      },
    });
    const r = await restSend(url, as, json, [{ filename: 'brev.pdf', bytes: await letterPdf() }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const historikk = async (url: string, as: Creds, id: string): Promise<string[]> =>
    (await restCall(url, as, `/${id}/historikk`)).body.hendelsesLogger.map((h: { hendelse: string }) => h.hendelse);
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
      const foran = await send(proc.url, creds, FORAN);
      const underveis = await send(proc.url, creds, UNDERVEIS);
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

      assert.equal(
        smtp.mails.filter((to) => to === FORAN_EPOST).length,
        1,
        'cut off before its content: sent again, arrives once',
      );
      assert.ok(
        (await historikk(proc.url, creds, foran)).some((l) =>
          /^Varsling sendt til mottaker på e-post\. Lesefristen utløper/.test(l),
        ),
      );

      assert.equal(
        smtp.mails.filter((to) => to === UNDERVEIS_EPOST).length,
        1,
        'cut off after its content: not sent again',
      );
      const lines = await historikk(proc.url, creds, underveis);
      assert.ok(
        lines.some((l) => /^Varsling ble avbrutt underveis mens e-posten ble overført.*Lesefristen utløper/.test(l)),
        lines.join(' | '),
      );
      assert.equal(await proc.stop(), 0);
      proc = undefined;
    },
  );

  it('never sends a reminder e-mail again that was cut off after its content left', { timeout: 90_000 }, async () => {
    // Its own store: the reminder comes 10 s after the notification (deadline 90 s, reminder 80 s before it).
    const dataDir = join(dir, 'data-paminnelse');
    const as = await avsenderIn(dataDir);
    const reminderEnv = { ...env(), DATA_DIR: dataDir, PRINT_FALLBACK_AFTER: 'PT90S', REMINDER_BEFORE: 'PT80S' };
    proc = await startNodeProcess(reminderEnv);
    const id = await send(proc.url, as, PAMINNET);
    await eventually(async () => (smtp.heldReminder() ? true : undefined), 45_000, 'the reminder held');
    await proc.kill9();
    assert.deepEqual(smtp.reminders, [PAMINNET_EPOST], 'at the kill, the server has the reminder');

    proc = await startNodeProcess(reminderEnv);
    const reminded = /^Påminnelse/;
    const lines = await eventually(
      async () => {
        const all = await historikk(proc!.url, as, id);
        return all.some((l) => reminded.test(l)) ? all : undefined;
      },
      30_000,
      'the reminder recorded',
    );
    assert.deepEqual(smtp.reminders, [PAMINNET_EPOST], 'cut off after its content: not sent again');
    assert.equal(smtp.mails.filter((to) => to === PAMINNET_EPOST).length, 2, 'the notification and one reminder');
    assert.deepEqual(
      lines.filter((l) => reminded.test(l)),
      [
        'Påminnelse ble avbrutt underveis mens e-posten ble overført og er trolig sendt; den sendes ikke på nytt for å unngå dobbel påminnelse',
      ],
    );
    assert.equal((await restCall(proc.url, as, `/${id}/status`)).body.status, 'VARSLET');
    assert.equal(await proc.stop(), 0);
    proc = undefined;
  });
});
