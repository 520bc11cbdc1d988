/**
 * The notify job's actor round trips, counted on the real actors over real SQLite, with a
 * real SMTP server on loopback: three for an e-mail (intent, transfer marker, outcome;
 * before issue #14 four, with a state read first) and two for a refused address (before:
 * five, the failure, a new intent and the outcome as three commands). The journal shows the
 * very events the longer protocol wrote.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { ForsendelseActors } from '../../../src/actors/forsendelse-registry.js';
import { journalPersistenceEngine } from '../../../src/actors/journal-persistence.js';
import { startActorSystem, stopActorSystem, type ActorSystem } from '../../../src/actors/runtime.js';
import { createAvsender } from '../../../src/app/accounts.js';
import { InboxLinks } from '../../../src/app/inbox-links.js';
import { HttpSmsSender, OutboxEmailSender, SmtpEmailSender } from '../../../src/channels/notify/index.js';
import type { ForsendelseCommand } from '../../../src/domain/commands.js';
import type { ForsendelseEvent } from '../../../src/domain/events.js';
import type { DeliveryDeps } from '../../../src/jobs/delivery-deps.js';
import { notifyJob, reminderJob } from '../../../src/jobs/notify-job.js';
import {
  openSqlite,
  SqliteConfigStore,
  SqliteJobQueue,
  SqliteJournal,
  SqliteReadModel,
  type SqliteDatabase,
} from '../../../src/storage/sqlite/index.js';
import { motta, AVSENDER, FIL } from '../domain/given.js';
import { onMessage } from '../../mail-server.js';
import { startSmsGateway } from '../../support/sms-gateway.js';

/** The registry, counting the round trips its callers make (execute and state each ask the actor once). */
class CountingActors extends ForsendelseActors {
  trips = 0;
  override async execute(id: string, command: ForsendelseCommand): ReturnType<ForsendelseActors['execute']> {
    this.trips += 1;
    return super.execute(id, command);
  }
  override async state(id: string): ReturnType<ForsendelseActors['state']> {
    this.trips += 1;
    return super.state(id);
  }
}

describe('notify job: actor round trips', () => {
  let dir: string;
  let db: SqliteDatabase;
  let journal: SqliteJournal;
  let system: ActorSystem;
  let actors: CountingActors;
  let smtp: SMTPServer;
  let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
  let notify: ReturnType<typeof notifyJob>;
  /** The notify job with the embedded outbox (no SMTP_URL) for e-mail. */
  let notifyOutbox: ReturnType<typeof notifyJob>;
  /** The reminder job, with its clock at `now`. */
  let remindAt: (now: number) => ReturnType<typeof reminderJob>;
  /** The reminder job with the embedded outbox, with its clock at `now`. */
  let remindOutboxAt: (now: number) => ReturnType<typeof reminderJob>;
  const mails: string[] = [];
  /** How many more reminders (Message-ID `<paminnelse.…>`) the server refuses after their content. */
  let refuseReminders = 0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-notify-'));
    db = openSqlite(join(dir, 'budbringer.sqlite'));
    journal = new SqliteJournal(db);
    const readModel = new SqliteReadModel(db);
    const jobs = new SqliteJobQueue(db);
    system = startActorSystem(`notify-${randomUUID()}`, journalPersistenceEngine(journal));
    actors = new CountingActors(
      system,
      { journal, readModel, jobs, policy: { purgeAt: (at) => at + 90 * 86_400_000 } },
      { idleMs: 200, askTimeoutMs: 10_000 },
    );
    const config = new SqliteConfigStore(db);
    await createAvsender(config, { navn: AVSENDER, now: Date.now() });
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('finnesikke@'))
          return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        if (address.address.startsWith('full@'))
          return callback(Object.assign(new Error('Mailbox full'), { responseCode: 452 }));
        callback();
      },
      onData(stream, session, callback) {
        onMessage(stream, (raw) => {
          if (refuseReminders > 0 && /^Message-ID:\s*<paminnelse\./im.test(raw)) {
            refuseReminders -= 1;
            return callback(Object.assign(new Error('Message rejected'), { responseCode: 554 }));
          }
          mails.push(session.envelope.rcptTo.map((r) => r.address).join(','));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    gateway = await startSmsGateway();
    const port = (smtp.server.address() as AddressInfo).port;
    // The job reads only these; the rest of DeliveryDeps (KRR, print, blobs) is other jobs' business.
    const deps: Pick<
      DeliveryDeps,
      'actors' | 'config' | 'email' | 'sms' | 'links' | 'publicUrl' | 'from' | 'now' | 'printDeadline' | 'linkExpiry'
    > = {
      actors,
      config,
      email: new SmtpEmailSender(`smtp://127.0.0.1:${port}`, 'varsel@example.no'),
      sms: new HttpSmsSender({ url: gateway.url }),
      links: new InboxLinks(new Uint8Array(32).fill(7)),
      publicUrl: () => 'http://127.0.0.1',
      from: 'varsel@example.no',
      now: () => Date.now(),
      printDeadline: (at) => at + 2 * 86_400_000,
      linkExpiry: (at) => at + 30 * 86_400_000,
    };
    notify = notifyJob(deps as DeliveryDeps);
    const outboxDeps: typeof deps = { ...deps, email: new OutboxEmailSender(join(dir, 'outbox'), deps.from) };
    notifyOutbox = notifyJob(outboxDeps as DeliveryDeps);
    remindAt = (now) => reminderJob({ ...deps, now: () => now } as DeliveryDeps);
    remindOutboxAt = (now) => reminderJob({ ...outboxDeps, now: () => now } as DeliveryDeps);
  });

  after(async () => {
    while (actors.liveCount > 0) await sleep(20);
    stopActorSystem(system);
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await gateway.close();
    await journal.close();
    db.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  /** A letter routed digitally to `epost`, ready for its notification. */
  async function digitalLetter(epost: string, sms?: string): Promise<string> {
    const id = randomUUID();
    await actors.execute(id, motta(id));
    await actors.execute(id, { type: 'RegistrerForsendelsesfil', at: Date.now(), forsendelsesfil: FIL });
    await actors.execute(id, {
      type: 'VelgKanal',
      at: Date.now(),
      kanal: 'digital',
      grunn: 'Digital levering',
      varsling: { epost, ...(sms === undefined ? {} : { sms }) },
    });
    actors.trips = 0;
    return id;
  }

  const journaled = async (id: string): Promise<string[]> =>
    (await journal.read(`forsendelse:${id}`, 0)).slice(3).map((e) => (e.data as unknown as ForsendelseEvent).type);

  it('given a letter an older version left deleted and unnotified, when its queued job runs, then nothing is sent and it ends', async () => {
    const id = await digitalLetter('slettet@example.no');
    // As a version before 7 December 2026 journaled a deletion: no UtskriftAvbrutt after it.
    const key = `forsendelse:${id}`;
    const seq = (await journal.read(key, 0)).length + 1;
    const slettet: ForsendelseEvent = { type: 'DokumenterSlettet', at: Date.now(), grunn: 'avsender' };
    await journal.append([{ key, seq, data: slettet as never, tags: [], createdAt: Date.now() }]);
    await notify({ id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 1 });
    assert.deepEqual(await journaled(id), ['DokumenterSlettet', 'UtskriftAvbrutt']);
    assert.equal((await actors.state(id))?.status, 'IKKE_LEVERT');
    assert.ok(!mails.includes('slettet@example.no'), 'no notice for a letter whose documents are gone');
  });

  it('given a deliverable address, when the job runs, then one e-mail in three round trips (was four)', async () => {
    const id = await digitalLetter('kari@example.no');
    await notify({ id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 1 });
    assert.equal(actors.trips, 3);
    assert.deepEqual(await journaled(id), ['VarslingStartet', 'EpostOverfores', 'Varslet']);
    assert.deepEqual(
      mails.filter((m) => m === 'kari@example.no'),
      ['kari@example.no'],
    );
    const state = await actors.state(id);
    assert.equal(state?.status, 'VARSLET');
    assert.deepEqual(state?.varsletKanaler, ['epost']);
  });

  it('given an address the server refuses, when the job runs, then in two round trips (was five) not notified but on paper at once (was VARSLET on no channel; review)', async () => {
    const id = await digitalLetter('finnesikke@example.no');
    await notify({ id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 1 });
    assert.equal(actors.trips, 2);
    assert.deepEqual(await journaled(id), ['VarslingStartet', 'VarslingFeilet', 'LesefristUtlopt']);
    // The history the sender reads names no address from KRR (the server's refusal quoted it).
    const feilet = (await journal.read(`forsendelse:${id}`, 0))
      .map((e) => e.data as unknown as ForsendelseEvent)
      .find((e) => e.type === 'VarslingFeilet');
    assert.ok(feilet?.type === 'VarslingFeilet');
    assert.match(feilet.feil, /E-postadressen ble avvist av e-posttjeneren/);
    assert.doesNotMatch(feilet.feil, /finnesikke|@/);
    assert.equal(feilet.endelig, true, 'no retry follows');
    const state = await actors.state(id);
    assert.equal(state?.varsletAt, undefined, 'nobody was notified');
    assert.ok(state?.printBestiltAt !== undefined, 'ordered for print now, no deadline to wait out');
    assert.ok(state?.historikk.some((h) => h.hendelse.startsWith('Varsling feilet: E-postadressen ble avvist')));
    assert.ok(state?.historikk.some((h) => h.hendelse.startsWith('Ingen varsel nådde mottakeren')));
  });

  it('given a mailbox that is full, when the job fails and runs again, then the print deadline runs from the first failure', async () => {
    const id = await digitalLetter('full@example.no');
    const job = { id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 1 };
    const before = Date.now();
    await assert.rejects(notify(job), /Mailbox full/);
    const first = await actors.state(id);
    assert.equal(first?.status, 'AKSEPTERT');
    assert.ok(first?.fristAt !== undefined && first.fristAt >= before + 2 * 86_400_000, 'two days from the failure');
    await assert.rejects(notify({ ...job, attempt: 2 }), /Mailbox full/);
    assert.equal((await actors.state(id))?.fristAt, first.fristAt, 'a second failure does not move it');
    assert.deepEqual(await journaled(id), ['VarslingStartet', 'VarslingFeilet', 'VarslingStartet', 'VarslingFeilet']);
  });

  it('given a notified letter, when the job runs again, then one round trip and nothing sent', async () => {
    const id = await digitalLetter('ola@example.no');
    await notify({ id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 1 });
    actors.trips = 0;
    await notify({ id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 2 });
    assert.equal(actors.trips, 1);
    assert.deepEqual(
      mails.filter((m) => m === 'ola@example.no'),
      ['ola@example.no'],
    );
  });

  it('given a reminder that runs at or after the print deadline, then nothing is sent; before it, one reminder', async () => {
    const id = await digitalLetter('per@example.no');
    await notify({ id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 1 });
    const fristAt = (await actors.state(id))?.fristAt;
    assert.ok(fristAt !== undefined);
    const job = { id: `reminder:${id}`, type: 'reminder', payload: { forsendelseId: id }, attempt: 1 };
    await remindAt(fristAt)(job);
    await remindAt(fristAt + 60_000)(job);
    assert.equal((await actors.state(id))?.paminnetAt, undefined);
    assert.equal(mails.filter((m) => m === 'per@example.no').length, 1, 'the notification only');
    await remindAt(fristAt - 3_600_000)(job);
    assert.ok((await actors.state(id))?.paminnetAt !== undefined);
    assert.equal(mails.filter((m) => m === 'per@example.no').length, 2, 'and one reminder');
  });

  it('given a mailbox the server refuses and a mobile number, then the SMS goes and the letter is notified by it (found in review)', async () => {
    const id = await digitalLetter('finnesikke@example.no', '+4791000001');
    await notify({ id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 1 });
    const state = await actors.state(id);
    assert.equal(state?.status, 'VARSLET');
    assert.deepEqual(state?.varsletKanaler, ['sms']);
    assert.equal(gateway.received.filter((m) => m.to === '+4791000001').length, 1);
  });

  it('given a full mailbox and a mobile number, then the SMS goes once and the letter is notified by it, not retried', async () => {
    const id = await digitalLetter('full@example.no', '+4791000002');
    const job = { id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 1 };
    await notify(job);
    const state = await actors.state(id);
    assert.equal(state?.status, 'VARSLET', 'notified by the SMS that reached the recipient');
    assert.deepEqual(state?.varsletKanaler, ['sms']);
    assert.ok(state?.fristAt !== undefined, 'with its print deadline');
    await notify({ ...job, attempt: 2 });
    assert.equal(gateway.received.filter((m) => m.to === '+4791000002').length, 1, 'one SMS over both runs');
  });

  it('given a full mailbox and an SMS gateway that is down, then both are tried again, and the SMS once it is up', async () => {
    const id = await digitalLetter('full@example.no', '+4791000004');
    const job = { id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 1 };
    gateway.refuse = 1;
    await assert.rejects(notify(job), /Mailbox full/);
    assert.equal((await actors.state(id))?.status, 'AKSEPTERT');
    await notify({ ...job, attempt: 2 });
    assert.equal((await actors.state(id))?.status, 'VARSLET');
    assert.equal(gateway.received.filter((m) => m.to === '+4791000004').length, 1);
  });

  it('given a reminder whose SMS fails once while its e-mail goes, then it is recorded and not sent again (found in review)', async () => {
    const id = await digitalLetter('rita@example.no', '+4791000003');
    await notify({ id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 1 });
    const fristAt = (await actors.state(id))?.fristAt;
    assert.ok(fristAt !== undefined);
    gateway.refuse = 1;
    const job = { id: `reminder:${id}`, type: 'reminder', payload: { forsendelseId: id }, attempt: 1 };
    await remindAt(fristAt - 3_600_000)(job);
    assert.ok((await actors.state(id))?.paminnetAt !== undefined, 'recorded: the e-mail took it');
    await remindAt(fristAt - 3_500_000)({ ...job, attempt: 2 });
    assert.equal(mails.filter((m) => m === 'rita@example.no').length, 2, 'the notification and one reminder');
  });

  /** A letter whose notify run was killed just after its e-mail marker was stored. */
  async function cutAfterMarker(epost: string): Promise<string> {
    const id = await digitalLetter(epost);
    await actors.execute(id, { type: 'StartVarsling', at: Date.now() });
    await actors.execute(id, { type: 'StartEpostOverforing', at: Date.now() });
    return id;
  }

  it('given a run cut off after the marker and an SMS that fails once, then the SMS is tried again, not given up for the uncertain e-mail (found in review)', async () => {
    const id = await digitalLetter('uviss@example.no', '+4791000005');
    await actors.execute(id, { type: 'StartVarsling', at: Date.now() });
    await actors.execute(id, { type: 'StartEpostOverforing', at: Date.now() });
    const job = { id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 2 };
    gateway.refuse = 1;
    await assert.rejects(notify(job), /503/);
    assert.equal((await actors.state(id))?.status, 'AKSEPTERT');
    await notify({ ...job, attempt: 3 });
    assert.equal(gateway.received.filter((m) => m.to === '+4791000005').length, 1, 'the SMS, once');
    assert.equal((await actors.state(id))?.status, 'VARSLET');
    assert.equal(mails.filter((m) => m === 'uviss@example.no').length, 0, 'the uncertain e-mail is not sent again');
  });

  it('given a run cut off after the marker, with the outbox: the e-mail is written again, and the letter is notified for sure', async () => {
    const id = await cutAfterMarker('lise@example.no');
    await notifyOutbox({ id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 2 });
    const written = (await readdir(join(dir, 'outbox'))).filter((f) => f.endsWith('.eml'));
    const mails = await Promise.all(written.map((f) => readFile(join(dir, 'outbox', f), 'utf8')));
    assert.equal(mails.filter((m) => /^To: lise@example\.no/m.test(m)).length, 1);
    const varslet = (await journal.read(`forsendelse:${id}`, 0))
      .map((e) => e.data as unknown as ForsendelseEvent)
      .find((e) => e.type === 'Varslet');
    assert.ok(varslet?.type === 'Varslet');
    assert.deepEqual(varslet.kanaler, ['epost']);
    assert.equal(varslet.usikker, undefined);
  });

  it('given a run cut off after the marker, with SMTP: nothing is sent again, and the letter is notified "usikker"', async () => {
    const id = await cutAfterMarker('mads@example.no');
    await notify({ id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 2 });
    assert.equal(mails.filter((m) => m === 'mads@example.no').length, 0);
    const varslet = (await journal.read(`forsendelse:${id}`, 0))
      .map((e) => e.data as unknown as ForsendelseEvent)
      .find((e) => e.type === 'Varslet');
    assert.ok(varslet?.type === 'Varslet');
    assert.equal(varslet.usikker, true);
  });

  /** A notified letter whose reminder run was killed just after its e-mail marker was stored; its deadline. */
  async function reminderCutAfterMarker(epost: string, sms?: string): Promise<{ id: string; fristAt: number }> {
    const id = await digitalLetter(epost, sms);
    await notify({ id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 1 });
    const fristAt = (await actors.state(id))?.fristAt;
    assert.ok(fristAt !== undefined);
    await actors.execute(id, { type: 'StartPaminnelseEpostOverforing', at: Date.now() });
    return { id, fristAt };
  }
  const paminnet = async (id: string): Promise<Extract<ForsendelseEvent, { type: 'Paminnet' }> | undefined> =>
    (await journal.read(`forsendelse:${id}`, 0))
      .map((e) => e.data as unknown as ForsendelseEvent)
      .find((e): e is Extract<ForsendelseEvent, { type: 'Paminnet' }> => e.type === 'Paminnet');

  it('given a reminder run cut off after its e-mail marker, with SMTP: the e-mail is not sent again, its SMS goes, and it is recorded "usikker" (found in review)', async () => {
    const { id, fristAt } = await reminderCutAfterMarker('nora@example.no', '+4791000006');
    const job = { id: `reminder:${id}`, type: 'reminder', payload: { forsendelseId: id }, attempt: 2 };
    await remindAt(fristAt - 3_600_000)(job);
    assert.equal(mails.filter((m) => m === 'nora@example.no').length, 1, 'the notification only');
    assert.equal(gateway.received.filter((m) => m.to === '+4791000006').length, 2, 'the notification and the reminder');
    assert.equal((await paminnet(id))?.usikker, true);
    const state = await actors.state(id);
    assert.equal(state?.status, 'VARSLET');
    assert.ok(state?.historikk.some((h) => h.hendelse.startsWith('Påminnelse ble avbrutt underveis')));
    assert.ok(!state?.historikk.some((h) => h.hendelse === 'Påminnelse sendt til mottaker'));
  });

  it('given a reminder run cut off after its e-mail marker, with the outbox: the e-mail is written again, and the reminder recorded for sure', async () => {
    const { id, fristAt } = await reminderCutAfterMarker('olga@example.no');
    await remindOutboxAt(fristAt - 3_600_000)({
      id: `reminder:${id}`,
      type: 'reminder',
      payload: { forsendelseId: id },
      attempt: 2,
    });
    const written = (await readdir(join(dir, 'outbox'))).filter((f) => f.endsWith('.eml'));
    const outbox = await Promise.all(written.map((f) => readFile(join(dir, 'outbox', f), 'utf8')));
    assert.equal(outbox.filter((m) => /^To: olga@example\.no/m.test(m)).length, 1);
    assert.deepEqual(await paminnet(id), { type: 'Paminnet', at: fristAt - 3_600_000 });
  });

  it('given a reminder e-mail the server refuses after its marker, then the marker is let go and the retry sends it', async () => {
    const id = await digitalLetter('pia@example.no');
    await notify({ id: `notify:${id}`, type: 'notify', payload: { forsendelseId: id }, attempt: 1 });
    const fristAt = (await actors.state(id))?.fristAt;
    assert.ok(fristAt !== undefined);
    const job = { id: `reminder:${id}`, type: 'reminder', payload: { forsendelseId: id }, attempt: 1 };
    refuseReminders = 1;
    await assert.rejects(remindAt(fristAt - 3_600_000)(job), /Message rejected/);
    assert.equal((await actors.state(id))?.paminnelseEpostOverfortAt, undefined);
    await remindAt(fristAt - 3_500_000)({ ...job, attempt: 2 });
    assert.equal(mails.filter((m) => m === 'pia@example.no').length, 2, 'the notification and one reminder');
    assert.deepEqual(await paminnet(id), { type: 'Paminnet', at: fristAt - 3_500_000 });
  });
});
