/**
 * Cluster acceptance (issue 6): three node processes share one DATA_DIR (SQLite in WAL
 * mode, document files, secret.key) and one Redis (BullMQ jobs under a queue prefix of
 * this run's own). 300 forsendelser are sent round-robin over REST v1; once a third are
 * acknowledged and the victim is in the middle of a notification (its SMTP server has the
 * mail and holds back the answer), the victim is killed with SIGKILL and the burst goes
 * on against the other two. Then, asking a random survivor each time: every acknowledged
 * forsendelse exists with byte-identical documents and moves on (digital ones to VARSLET,
 * reserved ones to print), the victim's jobs are taken over once their lease lapses, every
 * step is journaled once, and every digital letter gets exactly one e-mail: a notification
 * the kill cut off before its content left is sent again by a survivor, one cut off after
 * (the SMTP server has it) is never sent again (docs/cluster.md, "One notification"). The
 * one case that document leaves without an e-mail, a kill after the mail's claim is stored
 * and before its content has left (the victim runs up to four notifications at the kill),
 * must then be recorded as interrupted with its print deadline, and is reported.
 *
 * It runs twice: on shared SQLite + Redis, and on MongoDB + Redis (the emulated MongoDB of
 * test/support/emulated-mongo.ts in a process of its own, or the real one MONGODB_URI names).
 * Each run reports its slowest recovery: the time from the kill until the last letter
 * acknowledged before it has moved past MOTTATT (a figure, not an assertion).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAvsender } from '../../src/app/accounts.js';
import { openStorage } from '../../src/composition/storage.js';
import { loadSettings } from '../../src/config/load-settings.js';
import { BullmqJobQueue } from '../../src/storage/bullmq/index.js';
import { makeLetterPdf } from '../fixtures/letter-pdf.js';
import { basic, restCall, restForsendelse, restSend, type Creds } from '../factories.js';
import { startNodeProcess, type NodeProcess } from '../node-process.js';
import { fodselsnumre, forEachLimited, idOfMessage, redisAnswers, sha, sleep } from './cluster-support.js';
import { startSmtpSink, type SinkMail, type SmtpSink } from './smtp-sink.js';
import { mongoBackend, sqliteBackend, type Backend } from './cluster-backends.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const TOTAL = 300;
const CONCURRENCY = 16;
const KILL_AFTER_ACKS = 100;
/**
 * The job lease of the nodes (the default, set explicitly): a dead node's jobs run
 * elsewhere about 1¼ leases after it died, and a live node's heartbeat (every 2 s) keeps
 * its jobs through a 6 s stall on a loaded machine.
 */
const LEASE_MS = 8_000;
/** Job slots per node (the default, set explicitly): the victim has at most this many runs in flight. */
const JOB_CONCURRENCY = 4;
/** How long each SMTP server holds back its answer to a mail it has received. */
const SMTP_HOLD_MS = 300;
/** Recipients: the first DIGITAL have an e-mail address in KRR, the rest are reserved. */
const RECIPIENTS = 12;
const DIGITAL = 10;
const DIGITAL_OR_LATER = ['VARSLET', 'LEST', 'SENDT_PRINT', 'PRINTET'];

interface Acked {
  readonly id: string;
  readonly sha: string;
  readonly epost: string | undefined;
}

for (const backend of [sqliteBackend, mongoBackend]) clusterKillSuite(backend);

function clusterKillSuite(backend: Backend): void {
  void describe(`cluster: three nodes on ${backend.name} and one Redis, one killed with SIGKILL mid-burst`, () => {
    const prefix = `budbringer-cluster-test-${process.pid}-${Date.now()}`;
    let storageEnv: Record<string, string> = {};
    let stopBackend = async (): Promise<void> => {};
    /** The test's own views of the queues, closed afterwards. */
    const boards: BullmqJobQueue[] = [];
    let dir: string;
    let creds: Creds;
    let sinks: SmtpSink[] = [];
    const nodes: NodeProcess[] = [];
    let passed = false;

    before(async () => {
      // CI starts Redis (.ci/run); a cluster test that skipped would prove nothing.
      assert.ok(
        await redisAnswers(),
        `Redis answers nothing on 127.0.0.1:6379: the cluster test needs it (.ci/run starts redis-server)`,
      );
      dir = await mkdtemp(join(tmpdir(), 'budbringer-cluster-'));
      const started = await backend.start();
      stopBackend = started.stop;
      storageEnv = { DATA_DIR: join(dir, 'data'), REDIS_URL, QUEUE_PREFIX: prefix, ...started.env };
      const storage = await openStorage(loadSettings([], storageEnv));
      const { servicePassword } = await createAvsender(storage.config, { navn: 'Klyngekommune', now: Date.now() });
      await storage.close();
      creds = { user: 'Klyngekommune', password: servicePassword };
    });

    after(async () => {
      // On failure, what the nodes said (BullMQ lock errors, stack traces) is the first clue.
      if (!passed)
        for (const [n, node] of nodes.entries())
          console.error(`--- node ${n} (${node.url}), last output:\n${node.output().slice(-4000)}`);
      for (const node of nodes) if (node.child.exitCode === null && node.child.signalCode === null) await node.kill9();
      await Promise.all(sinks.map((s) => s.close()));
      const queue = new BullmqJobQueue({ connection: REDIS_URL, prefix });
      await queue.obliterate();
      await queue.close();
      for (const board of boards) await board.close();
      await stopBackend();
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    });

    void it(
      'loses nothing acknowledged, moves every letter on, and gives every digital letter exactly one e-mail',
      { timeout: 240_000 },
      async (t) => {
        const t0 = Date.now();
        const phase = (what: string): void => t.diagnostic(`${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        const fnr = fodselsnumre(RECIPIENTS);
        const epostOf = (r: number): string | undefined => (r < DIGITAL ? `mottaker${r}@example.no` : undefined);
        await writeFile(
          join(dir, 'krr.json'),
          JSON.stringify({
            personer: fnr.map((f, r) => ({
              personidentifikator: f,
              reservasjon: r < DIGITAL ? 'NEI' : 'JA',
              status: 'AKTIV',
              kontaktinformasjon: { epostadresse: epostOf(r) ?? `reservert${r}@example.no` },
            })),
          }),
        );
        const printDir = join(dir, 'print');
        // One SMTP server per node, so each mail is known to come from the node it went to.
        sinks = await Promise.all([0, 1, 2].map(() => startSmtpSink(SMTP_HOLD_MS)));
        const started = await Promise.all(
          sinks.map((sink) =>
            startNodeProcess(
              {
                ...storageEnv,
                JOB_LEASE_MS: String(LEASE_MS),
                JOB_CONCURRENCY: String(JOB_CONCURRENCY),
                SMTP_URL: sink.url,
                KRR_FILE: join(dir, 'krr.json'),
                PRINT_DIR: printDir,
              },
              60_000,
            ),
          ),
        );
        nodes.push(...started);
        const [victim, ...survivors] = started as [NodeProcess, NodeProcess, NodeProcess];
        const victimSink = sinks[0] as SmtpSink;
        let live: NodeProcess[] = [...started];
        const randomSurvivor = (): NodeProcess =>
          survivors[Math.floor(Math.random() * survivors.length)] as NodeProcess;
        /** Milliseconds from `since` until none of `letters` is MOTTATT any more (polled every 250 ms). */
        const pastMottatt = async (letters: readonly Acked[], since: number): Promise<number> => {
          const until = Date.now() + 120_000;
          for (;;) {
            const r = await restCall(randomSurvivor().url, creds, '/statuser', { json: letters.map((a) => a.id) });
            assert.equal(r.status, 200);
            const statuses: string[] = r.body.statuser.map((s: { status: string }) => s.status);
            if (statuses.length === letters.length && !statuses.includes('MOTTATT')) return Date.now() - since;
            assert.ok(Date.now() < until, `letters acknowledged before the kill still MOTTATT 120 s after it`);
            await sleep(250);
          }
        };
        /**
         * The jobs running at the kill (the victim's among them; they run first when put back)
         * and the milliseconds from `since` until each has run to completion: the slowest is
         * the victim's recovery, its lease lapsing and a survivor running the job again.
         */
        const board = new BullmqJobQueue({ connection: REDIS_URL, prefix });
        boards.push(board);
        const runningAtKill = async (): Promise<
          Array<{ queue: { getJobState(id: string): Promise<string> }; id: string; name: string }>
        > => {
          const found = [];
          for (const queue of await board.queuesForBoard()) {
            for (const job of await queue.getActive())
              if (job.id !== undefined) found.push({ queue, id: job.id, name: job.name });
          }
          return found;
        };
        const slowestRecovery = async (
          running: Awaited<ReturnType<typeof runningAtKill>>,
          since: number,
        ): Promise<number> => {
          const until = Date.now() + 120_000;
          let open = running;
          while (open.length > 0) {
            const states = await Promise.all(open.map((j) => j.queue.getJobState(j.id)));
            assert.ok(!states.includes('failed'), 'no job running at the kill failed');
            open = open.filter((_, i) => states[i] !== 'completed');
            assert.ok(
              Date.now() < until,
              `jobs running at the kill not done 120 s after it: ${open.map((j) => j.id).join(', ')}`,
            );
            if (open.length > 0) await sleep(100);
          }
          return Date.now() - since;
        };

        // --- the burst, with the kill in the middle of it
        const pdfs = await Promise.all([1, 2, 3, 4].map((seed) => makeLetterPdf({ seed })));
        const acked: Acked[] = [];
        let ackedAtKill: Acked[] = [];
        let backlog: Promise<number> | undefined;
        let recovery: Promise<number> | undefined;
        let runningJobs = 0;
        let next = 0;
        let turn = 0;
        let victimDown = false;
        let heldAtKill: string[] = [];
        let killedAt = Number.NaN;
        const sender = async (): Promise<void> => {
          while (next < TOTAL) {
            const i = next++;
            const recipient = i % RECIPIENTS;
            const pdf = pdfs[i % pdfs.length] as Uint8Array;
            const json = restForsendelse({
              tittel: `Klyngebrev ${i}`,
              mottaker: {
                postAdresse: {
                  navn: `Mottaker ${recipient}`,
                  adresse1: 'Gata 2',
                  postNummer: '5003',
                  postSted: 'Bergen',
                },
                digitalAdresse: { fodselsNummer: fnr[recipient] },
              },
            });
            for (;;) {
              const node = live[turn++ % live.length] as NodeProcess;
              try {
                const r = await restSend(node.url, creds, json, [{ filename: 'brev.pdf', bytes: pdf }]);
                assert.equal(r.status, 200, `send ${i} to ${node.url}: ${JSON.stringify(r.body)}`);
                acked.push({ id: r.body.id as string, sha: sha(pdf), epost: epostOf(recipient) });
                break;
              } catch (error) {
                // A send cut off by the kill is not acknowledged: send it again to a live node.
                if (node === victim && victimDown) continue;
                throw error;
              }
            }
          }
        };
        let sendFailed = false;
        const killer = async (): Promise<void> => {
          const until = Date.now() + 120_000;
          while (!(acked.length >= KILL_AFTER_ACKS && victimSink.held.size > 0)) {
            if (sendFailed) return; // the senders' error fails the test; no kill to wait for
            assert.ok(
              Date.now() < until,
              `the victim never had a notification in flight after ${KILL_AFTER_ACKS} acknowledgements`,
            );
            await sleep(20);
          }
          victimDown = true;
          live = survivors;
          victim.child.kill('SIGKILL');
          killedAt = Date.now();
          ackedAtKill = [...acked];
          // Taken in the same tick as the signal: these mails reached the SMTP server, and the
          // victim dies without the answer, so it never learnt that they were sent.
          heldAtKill = [...victimSink.held].map((m) => idOfMessage(m) ?? m);
          const running = await runningAtKill();
          runningJobs = running.length;
          await victim.kill9();
          // Awaited below; a failure then fails the test.
          recovery = slowestRecovery(running, killedAt);
          recovery.catch(() => {});
          backlog = pastMottatt(ackedAtKill, killedAt);
          backlog.catch(() => {});
        };
        phase('nodes started');
        const sendStart = Date.now();
        const senders = Promise.all(Array.from({ length: CONCURRENCY }, sender)).catch((error: unknown) => {
          sendFailed = true;
          throw error;
        });
        await Promise.all([killer(), senders]);
        phase(
          `${TOTAL} sends acknowledged in ${Date.now() - sendStart} ms, ${heldAtKill.length} notification(s) held by the SMTP server at the kill,`,
        );
        assert.ok(victimDown && heldAtKill.length > 0);
        assert.equal(acked.length, TOTAL, 'every send was acknowledged, by a live node if the victim died under it');
        assert.equal(new Set(acked.map((a) => a.id)).size, TOTAL, 'no id handed out twice');

        // --- every acknowledged forsendelse is found through the survivors, documents intact,
        // and moves on: digital ones notified, reserved ones handed to print (checked side by side)
        const documentsIntact = forEachLimited(acked, 6, async ({ id, sha: expected }) => {
          const meta = await restCall(randomSurvivor().url, creds, `/${id}/dokumentMetadata`);
          assert.equal(meta.status, 200, `acknowledged ${id} is found`);
          assert.equal(meta.body.dokumentMetadata[0].sha256hash, expected, `sha256 of ${id}`);
          const dl = await fetch(meta.body.dokumentMetadata[0].nedlasningsUrl, {
            headers: { authorization: basic(creds) },
          });
          assert.equal(dl.status, 200);
          assert.equal(sha(new Uint8Array(await dl.arrayBuffer())), expected, `documents of ${id} byte-identical`);
        }).then(() => phase('documents checked'));
        const movedOn = (async () => {
          const until = Date.now() + 120_000;
          for (;;) {
            const r = await restCall(randomSurvivor().url, creds, '/statuser', { json: acked.map((a) => a.id) });
            assert.equal(r.status, 200);
            const status = new Map<string, string>(
              r.body.statuser.map((s: { forsendelsesId: { id: string }; status: string }) => [
                s.forsendelsesId.id,
                s.status,
              ]),
            );
            const behind = acked.filter((a) => {
              const s = status.get(a.id) ?? '';
              return a.epost !== undefined ? !DIGITAL_OR_LATER.includes(s) : s !== 'SENDT_PRINT';
            });
            if (behind.length === 0) return;
            assert.ok(
              Date.now() < until,
              `${behind.length} forsendelser did not move on, e.g. ${behind[0]?.id}: ${status.get(behind[0]?.id ?? '')}`,
            );
            await sleep(500);
          }
        })();
        await Promise.all([documentsIntact, movedOn]);
        phase('every letter moved on');
        const recoveredAfter = await (recovery ?? Promise.resolve(Number.NaN));
        const backlogAfter = await (backlog ?? Promise.resolve(Number.NaN));
        phase(
          `slowest recovery ${(recoveredAfter / 1000).toFixed(1)} s (the kill to the last of the ${runningJobs} jobs running at it done again); ` +
            `${(backlogAfter / 1000).toFixed(1)} s to the last of the ${ackedAtKill.length} letters acknowledged before it past MOTTATT (with the survivors' backlog),`,
        );

        // --- the victim's jobs were taken over (its leases lapse), and no job is left or failed
        const queue = new BullmqJobQueue({ connection: REDIS_URL, prefix });
        try {
          const drainedBy = Date.now() + 3 * LEASE_MS + 60_000;
          for (;;) {
            const counts = await queue.counts();
            assert.equal(counts.failed, 0, 'no job failed');
            if (counts.waiting === 0 && counts.active === 0) break;
            assert.ok(Date.now() < drainedBy, `jobs left: ${JSON.stringify(counts)}`);
            await sleep(250);
          }
          phase('queues drained');

          // --- however the nodes' actors interleaved, each step is journaled once per letter
          const cutOff = new Map<string, number>(); // notifications recorded as interrupted → when their intent was journaled
          const resumed: string[] = []; // intent journaled before the kill, e-mail claimed after it
          const storage = await openStorage(loadSettings([], storageEnv));
          try {
            for (const a of acked) {
              const events = (await storage.journal.read(`forsendelse:${a.id}`, 0)).map(
                (e) => e.data as { type: string; at: number; usikker?: boolean },
              );
              const types = events.map((e) => e.type);
              const count = (type: string): number => types.filter((x) => x === type).length;
              const expected =
                a.epost !== undefined
                  ? {
                      Mottatt: 1,
                      Akseptert: 1,
                      KanalValgt: 1,
                      VarslingStartet: 1 + count('VarslingFeilet'),
                      Varslet: 1,
                      SendtPrint: 0,
                    }
                  : {
                      Mottatt: 1,
                      Akseptert: 1,
                      KanalValgt: 1,
                      VarslingStartet: 0,
                      Varslet: 0,
                      SendtPrint: 1,
                      EpostOverfores: 0,
                    };
              for (const [type, n] of Object.entries(expected))
                assert.equal(count(type), n, `${a.id}: ${type} in ${types.join(', ')}`);
              // The e-mail's claim: one, and another only after a failure that the server answered.
              if (a.epost !== undefined)
                assert.ok(
                  count('EpostOverfores') >= 1 && count('EpostOverfores') <= 1 + count('VarslingFeilet'),
                  `${a.id}: ${types.join(', ')}`,
                );
              const intentAt = events.find((e) => e.type === 'VarslingStartet')?.at ?? Number.NaN;
              if (intentAt <= killedAt && (events.find((e) => e.type === 'EpostOverfores')?.at ?? 0) > killedAt)
                resumed.push(a.id);
              if (events.some((e) => e.type === 'Varslet' && e.usikker === true)) {
                cutOff.set(a.id, events.findLast((e) => e.type === 'VarslingStartet')?.at ?? Number.NaN);
              }
            }
            // Sends the kill cut off may have been journaled without an answer; the promise covers
            // acknowledged ones only, so these are reported, not asserted (see the report of issue 6).
            const ackedIds = new Set(acked.map((a) => a.id));
            const unanswered = (await storage.journal.keysAppendedSince(0)).filter(
              (k) => k.startsWith('forsendelse:') && !ackedIds.has(k.slice('forsendelse:'.length)),
            );
            const statuses = await Promise.all(
              unanswered.map(
                async (k) => (await storage.readModel.get(k.slice('forsendelse:'.length)))?.status ?? 'no record',
              ),
            );
            phase(
              `${unanswered.length} forsendelse(r) journaled but never acknowledged (${statuses.join(', ') || 'none'});`,
            );
          } finally {
            await storage.close();
          }

          // --- exactly one notification for every digital letter, none for a reserved one
          const byId = new Map<string, { mail: SinkMail; sink: number }[]>();
          for (const [sink, { mails }] of sinks.entries()) {
            for (const mail of mails) {
              const id = idOfMessage(mail.messageId);
              assert.ok(id !== undefined, `a notification's Message-ID names its forsendelse: ${mail.messageId}`);
              byId.set(id, [...(byId.get(id) ?? []), { mail, sink }]);
            }
          }
          for (const [id, list] of byId) assert.equal(list.length, 1, `${id} was notified ${list.length} times`);
          const files = await readdir(printDir);
          const onTheWire: string[] = [];
          for (const a of acked) {
            const got = byId.get(a.id) ?? [];
            if (a.epost === undefined) {
              assert.equal(got.length, 0, `reserved ${a.id} gets no e-mail`);
              assert.ok(
                files.includes(`${a.id}.pdf`) && files.includes(`${a.id}.json`),
                `reserved ${a.id} is in PRINT_DIR`,
              );
            } else if (got.length === 0 && cutOff.has(a.id)) {
              // The one case docs/cluster.md ("One notification") leaves without an e-mail: the
              // kill came after its claim (EpostOverfores) was stored and before the content
              // left. It is recorded as interrupted, never sent twice, and goes to print at its
              // deadline (both checked below).
              onTheWire.push(a.id);
            } else {
              assert.equal(got.length, 1, `digital ${a.id} gets one e-mail`);
              assert.deepEqual(got[0]?.mail.to, [a.epost]);
            }
          }

          // --- a notification cut off after its e-mail began to leave is never sent again. Only
          // the victim's runs in flight at the kill end so: at most one per job slot, intent
          // journaled before the kill, the one mail from the victim. The mails the SMTP server
          // held at the kill are among them. Runs the kill cut off earlier were sent again by a
          // survivor (each letter's one mail is checked above).
          phase(
            `${cutOff.size} notification(s) recorded as interrupted (${onTheWire.length} without an e-mail: cut after its claim was stored, before the content left), ${resumed.length} begun before the kill and sent after it;`,
          );
          assert.ok(
            cutOff.size <= JOB_CONCURRENCY,
            `at most ${JOB_CONCURRENCY} interrupted notifications, got ${cutOff.size}`,
          );
          for (const id of heldAtKill)
            assert.ok(cutOff.has(id), `the notification of ${id}, held at the kill, is recorded as interrupted`);
          for (const [id, intentAt] of cutOff) {
            assert.ok(intentAt <= killedAt, `${id}: its notification began before the kill`);
            if (!onTheWire.includes(id))
              assert.equal(byId.get(id)?.[0]?.sink, 0, `${id}: its one mail came from the killed node`);
            const hist = await restCall(randomSurvivor().url, creds, `/${id}/historikk`);
            assert.equal(hist.status, 200);
            const lines: string[] = hist.body.hendelsesLogger.map((h: { hendelse: string }) => h.hendelse);
            assert.ok(
              lines.some((l) => /^Varsling ble avbrutt underveis.*Lesefristen utløper/.test(l)),
              `${id} records the interruption and its deadline: ${lines.join(' | ')}`,
            );
            assert.equal(await queue.state(`deadline:${id}`), 'delayed', `${id} waits for its print deadline`);
          }
        } finally {
          await queue.close();
        }

        // --- idle connections are left for the client to close (keep-alive race, src/composition/node.ts)
        const probe = await fetch(`${randomSurvivor().url}/tjenester/api/forsendelse/v1/forsendelseTyper`, {
          headers: { authorization: basic(creds) },
        });
        await probe.arrayBuffer();
        assert.match(probe.headers.get('keep-alive') ?? '', /timeout=65\b/);

        // --- the nodes share the signing key: a link made by one node opens on another
        for (const [n, sink] of sinks.entries()) {
          const mail = sink.mails[0];
          assert.ok(mail !== undefined, `node ${n} sent notifications`);
          const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
          const link = /http:\/\/127\.0\.0\.1:\d+(\/innboks\/[A-Za-z0-9_.-]+)/.exec(text)?.[1];
          assert.ok(link !== undefined, 'the mail carries an inbox link');
          const other = survivors.find((s) => s !== started[n]) as NodeProcess;
          assert.equal((await fetch(`${other.url}${link}`)).status, 200, `node ${n}'s link opens on ${other.url}`);
        }

        // --- a letter read in parts on two nodes counts as read: the parts add up in Redis
        // (until 7 December 2026 each node added up only its own, and such a letter was printed)
        const [nodeA, nodeB] = survivors;
        const unread = sinks[1]?.mails.at(-1);
        assert.ok(unread !== undefined);
        const unreadId = idOfMessage(unread.messageId) ?? '';
        const unreadText = unread.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
        const unreadLink = /http:\/\/127\.0\.0\.1:\d+(\/innboks\/[A-Za-z0-9_.-]+)/.exec(unreadText)?.[1] ?? '';
        const statusOf = async (): Promise<string> =>
          ((await restCall(nodeA.url, creds, `/${unreadId}/status`)).body as { status: string }).status;
        assert.equal(await statusOf(), 'VARSLET');
        const head = await fetch(`${nodeA.url}${unreadLink}/forsendelsesfil`, { headers: { range: 'bytes=0-999' } });
        assert.equal(head.status, 206);
        await head.arrayBuffer();
        const rest = await fetch(`${nodeB.url}${unreadLink}/forsendelsesfil`, { headers: { range: 'bytes=1000-' } });
        assert.equal(rest.status, 206);
        await rest.arrayBuffer();
        for (let waited = 0; (await statusOf()) !== 'LEST'; waited += 100) {
          assert.ok(waited < 10_000, 'read in parts on two nodes, the letter is LEST');
          await sleep(100);
        }

        for (const node of survivors) assert.equal(await node.stop(), 0, 'clean shutdown on SIGTERM');
        passed = true;
      },
    );
  });
}
