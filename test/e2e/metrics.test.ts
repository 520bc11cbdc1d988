/**
 * /metrics (issue #6 "Operations"): after a forsendelse accepted over REST and one refused,
 * the node's exposition parses as Prometheus text and its counters moved — intake by door
 * and outcome, intake latency, status transitions, job queue depths, live actors — with
 * the default process metrics beside them and nothing personal in it. Each node has its
 * own registry (two nodes run in this process), METRICS=false turns it off, and
 * METRICS_TOKEN puts it behind a bearer token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  basic,
  eventually,
  FNR,
  letterPdf,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { nodeSendForsendelse } from '../fixtures/soap/index.js';
import { post } from '../unit/soap/support/post.js';

/** One sample of the exposition. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Parses Prometheus' text format strictly enough that a malformed line fails the test. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  const typed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.+)$/.exec(line);
    if (meta) {
      assert.match(meta[2] as string, NAME, line);
      if (meta[1] === 'TYPE') {
        assert.match(meta[3] as string, /^(counter|gauge|histogram|summary|untyped)$/, line);
        typed.add(meta[2] as string);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const labelText = m[2] ?? '';
    let rest = labelText;
    while (rest !== '') {
      const l = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/.exec(rest);
      assert.ok(l, `bad labels in: ${line}`);
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, '$1');
      rest = rest.slice(l[0].length);
    }
    const raw = m[3] as string;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    assert.ok(raw === 'NaN' || !Number.isNaN(value), `bad value in: ${line}`);
    const name = m[1] as string;
    const family = name.replace(/_(bucket|sum|count|total)$/, '');
    assert.ok(typed.has(name) || typed.has(family), `sample before its TYPE: ${line}`);
    samples.push({ name, labels, value });
  }
  return samples;
}

/** The value of the sample `name` whose labels include `labels` (0 when absent). */
function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found?.value ?? 0;
}

async function scrape(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string; text: string }> {
  const res = await fetch(`${url}/metrics`, { headers });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('/metrics', () => {
  let t: TestNode;
  let other: TestNode;
  let creds: Creds;
  const tittel = `Hemmelig metrikktittel ${Date.now()}`;

  before(async () => {
    t = await startTestNode();
    other = await startTestNode({ METRICS_TOKEN: 'et-langt-hemmelig-token-1234' });
    creds = await t.sender('Metrikkommune');
  });
  after(async () => {
    await t?.stop();
    await other?.stop();
  });

  it('counts an accepted and a refused REST intake, its status transitions, jobs and actors, and parses', async () => {
    const before0 = parseExposition((await scrape(t.url)).text);
    assert.equal(valueOf(before0, 'budbringer_intake_total', { channel: 'rest', outcome: 'accepted' }), 0);

    const pdf = await letterPdf();
    const ok = await restSend(t.url, creds, restForsendelse({ tittel }), [{ filename: 'brev.pdf', bytes: pdf }]);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const bad = restForsendelse({
      tittel,
      mottaker: {
        postAdresse: { navn: 'Kari', adresse1: 'Gate 1', postNummer: '0155', postSted: 'Oslo' },
        digitalAdresse: { fodselsNummer: '01019000084' },
      },
    });
    const refused = await restSend(t.url, creds, bad, [{ filename: 'brev.pdf', bytes: pdf }]);
    assert.equal(refused.status, 400);
    await waitForStatus(t.url, creds, ok.body.id as string, ['SENDT_PRINT']);
    // The compose job, which hands a letter that goes on paper at once to print, counts as
    // completed once its handler has returned, just after SENDT_PRINT; the queue marks it
    // completed a moment later.
    const r = await eventually(
      async () => {
        const answer = await scrape(t.url);
        const samples = parseExposition(answer.text);
        return valueOf(samples, 'budbringer_job_runs_total', { type: 'compose', outcome: 'completed' }) === 1 &&
          valueOf(samples, 'budbringer_jobs', { state: 'completed' }) >= 1
          ? answer
          : undefined;
      },
      15_000,
      'the compose job to complete',
    );
    assert.equal(r.status, 200);
    assert.match(r.contentType, /^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(r.text);
    assert.equal(valueOf(samples, 'budbringer_intake_total', { channel: 'rest', outcome: 'accepted' }), 1);
    assert.equal(valueOf(samples, 'budbringer_intake_total', { channel: 'rest', outcome: 'refused' }), 1);
    assert.equal(
      valueOf(samples, 'budbringer_intake_duration_seconds_count', { channel: 'rest', outcome: 'accepted' }),
      1,
    );
    assert.ok(valueOf(samples, 'budbringer_intake_duration_seconds_sum', { channel: 'rest', outcome: 'accepted' }) > 0);
    assert.equal(
      valueOf(samples, 'budbringer_intake_duration_seconds_bucket', {
        channel: 'rest',
        outcome: 'accepted',
        le: '+Inf',
      }),
      1,
    );
    for (const status of ['MOTTATT', 'AKSEPTERT', 'SENDT_PRINT']) {
      assert.equal(valueOf(samples, 'budbringer_status_transitions_total', { status }), 1, status);
    }
    assert.equal(valueOf(samples, 'budbringer_status_transitions_total', { status: 'AVVIST' }), 0);
    assert.equal(valueOf(samples, 'budbringer_intake_total', { channel: 'soap', outcome: 'accepted' }), 0);
    // compose is done; purge waits (delayed).
    assert.ok(valueOf(samples, 'budbringer_jobs', { state: 'delayed' }) >= 1);
    assert.equal(valueOf(samples, 'budbringer_job_runs_total', { type: 'compose', outcome: 'completed' }), 1);
    assert.equal(valueOf(samples, 'budbringer_job_runs_total', { type: 'print', outcome: 'completed' }), 0);
    assert.ok(
      valueOf(samples, 'budbringer_live_actors') >= 1,
      "the letter's actor is still in memory (ACTOR_IDLE_MS 30 s)",
    );
    assert.ok(samples.some((s) => s.name === 'process_cpu_user_seconds_total'));
    assert.ok(samples.some((s) => s.name === 'nodejs_heap_size_used_bytes'));
    // Nothing personal, nothing the caller chose.
    assert.doesNotMatch(r.text, new RegExp(`${FNR[0]}|01019000084|Hemmelig|Metrikkommune|Kari`));
  });

  it('counts SOAP intake under its own door', async () => {
    const soap = await post(
      `${t.url}/tjenester/forsendelseservice/ForsendelsesServiceV9`,
      nodeSendForsendelse({ dokumenter: [{ data: await letterPdf(), filnavn: 'brev.pdf' }] }),
      basic(creds),
    );
    assert.equal(soap.status, 200, soap.text);
    const samples = parseExposition((await scrape(t.url)).text);
    assert.equal(valueOf(samples, 'budbringer_intake_total', { channel: 'soap', outcome: 'accepted' }), 1);
    assert.equal(valueOf(samples, 'budbringer_intake_total', { channel: 'rest', outcome: 'accepted' }), 1);
    assert.equal(
      valueOf(samples, 'budbringer_intake_duration_seconds_count', { channel: 'soap', outcome: 'accepted' }),
      1,
    );
  });

  it('keeps one registry per node: the other node counted nothing, and wants its token', async () => {
    assert.equal((await scrape(other.url)).status, 401);
    assert.equal((await scrape(other.url, { authorization: 'Bearer feil-token-av-samme-lengde!' })).status, 401);
    const r = await scrape(other.url, { authorization: 'Bearer et-langt-hemmelig-token-1234' });
    assert.equal(r.status, 200);
    const samples = parseExposition(r.text);
    assert.ok(samples.some((s) => s.name === 'budbringer_live_actors'));
    assert.equal(valueOf(samples, 'budbringer_intake_total', { channel: 'rest', outcome: 'accepted' }), 0);
    assert.equal(valueOf(samples, 'budbringer_status_transitions_total', { status: 'MOTTATT' }), 0);
  });

  it('is off with METRICS=false', async () => {
    const off = await startTestNode({ METRICS: 'false' });
    try {
      assert.equal((await scrape(off.url)).status, 404);
      assert.equal((await fetch(`${off.url}/healthz`)).status, 200);
    } finally {
      await off.stop();
    }
  });

  it('live actors fall back as actors passivate', async () => {
    const quick = await startTestNode({ ACTOR_IDLE_MS: '200' });
    try {
      const c = await quick.sender('Kjapp');
      const sent = await restSend(quick.url, c, restForsendelse(), [
        { filename: 'brev.pdf', bytes: await letterPdf() },
      ]);
      assert.equal(sent.status, 200);
      await waitForStatus(quick.url, c, sent.body.id as string, ['SENDT_PRINT']);
      await eventually(
        async () =>
          valueOf(parseExposition((await scrape(quick.url)).text), 'budbringer_live_actors') === 0 ? true : undefined,
        15_000,
        'actors to passivate',
      );
    } finally {
      await quick.stop();
    }
  });
});
