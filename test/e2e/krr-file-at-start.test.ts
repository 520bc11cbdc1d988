/**
 * A KRR_FILE that cannot be read is reported when the node starts, naming the file, not
 * first by the routing of the first letter to a person failing over and over (the watcher
 * reports only changes). A readable one is reported with how many persons it holds. So is a
 * Maskinporten key file (MASKINPORTEN_JWKS) that cannot be read, not first at a call's 503.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { eventually, FNR, startTestNode } from '../factories.js';

/** Starts a node with `env`, collecting its log lines; stops it once `until` finds its line. */
async function logOfStart(
  env: Record<string, string>,
  until: (line: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  const t = await startTestNode(env, undefined, pino({ level: 'info' }, sink));
  try {
    return await eventually(async () => lines.find(until), 10_000, 'the line looked for');
  } finally {
    await t.stop();
  }
}

describe('start: the KRR file is checked', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-krr-start-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('a missing or broken KRR_FILE is an error line naming it, at start', async () => {
    const missing = join(dir, 'finnes-ikke.json');
    const gone = await logOfStart({ KRR_FILE: missing }, (l) => l.krrFile === missing && l.level === 50);
    assert.match(String(gone.msg), /KRR file cannot be read \(KRR_FILE\)/);
    const broken = join(dir, 'ødelagt.json');
    await writeFile(broken, '{ikke json');
    const bad = await logOfStart({ KRR_FILE: broken }, (l) => l.krrFile === broken && l.level === 50);
    assert.match(String(bad.msg), /KRR file cannot be read/);
    // The parser's reason once, not twice (the cause was written into the message and appended again).
    const reason = String((bad.err as { message?: unknown }).message);
    assert.match(reason, /er ikke gyldig JSON: /);
    assert.doesNotMatch(reason, /: (.+): \1$/, reason);
  });

  it('a readable one is an info line with how many persons it holds', async () => {
    const file = join(dir, 'krr.json');
    await writeFile(
      file,
      JSON.stringify({ personer: [{ personidentifikator: FNR[0], reservasjon: 'NEI', status: 'AKTIV' }] }),
    );
    const read = await logOfStart({ KRR_FILE: file }, (l) => l.krrFile === file && l.msg === 'KRR file read');
    assert.equal(read.personer, 1);
  });
});

describe('start: the print drop folder is checked', () => {
  it('a PRINT_DIR that cannot be made is an error line naming it, and the node runs', async () => {
    const line = await logOfStart({ PRINT_DIR: '/dev/null/print' }, (l) => l.printDir === '/dev/null/print');
    assert.equal(line.level, 50);
    assert.match(String(line.msg), /PRINT_DIR cannot be used/);
  });
});

describe('start: a Maskinporten key file is checked', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-jwks-start-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('a missing or broken MASKINPORTEN_JWKS is an error line naming it, at start', async () => {
    for (const [name, content] of [
      ['finnes-ikke.json', undefined],
      ['ødelagt.json', '{"keys": [{"kty": "RSA"'],
    ] as const) {
      const file = join(dir, name);
      if (content !== undefined) await writeFile(file, content);
      const line = await logOfStart(
        { MASKINPORTEN_JWKS: file, MASKINPORTEN_ISSUER: 'https://maskinporten.no/' },
        (l) => l.jwks === file && l.level === 50,
      );
      assert.match(String(line.msg), /MASKINPORTEN_JWKS cannot be read: tokens from Maskinporten are refused/);
    }
  });
});
