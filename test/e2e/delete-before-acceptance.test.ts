/**
 * A sender that deletes a letter's documents (slettFiler) right after its 200, before the
 * letter is accepted: the letter ends IKKE_LEVERT at once, and nothing is composed, printed
 * or retried from documents that are gone (docs/interfaces.md §10, "Deleted files"). Found in
 * review (7 December 2026): such a letter went to print from the copy built just before, or,
 * deleted before its build, sat in MOTTATT while its compose job failed for days. The letters
 * are sent to a node that only answers (BUDBRINGER_ROLES=web), so the deletion is certain to
 * land before any job runs; a full node on the same data then runs the jobs.
 */
import assert from 'node:assert/strict';
import { readdir, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  basic,
  eventually,
  FNR,
  restCall,
  sendToPerson,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';

const BASE = '/tjenester/api/forsendelse/v1';
const ADRESSE = { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postNummer: '0155', postSted: 'Oslo' };

describe('documents deleted before the letter was accepted', () => {
  let dir: string;
  let node: TestNode | undefined;
  after(async () => {
    await node?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('ends the letter IKKE_LEVERT at once; the jobs after print nothing and fail nothing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-delete-early-'));
    node = await startTestNode({ BUDBRINGER_ROLES: 'web' }, dir);
    const creds: Creds = await node.sender('Slettekommune');
    const deleted = await sendToPerson(node.url, creds, FNR[0], ADRESSE);
    const kept = await sendToPerson(node.url, creds, FNR[1], ADRESSE);
    const res = await fetch(`${node.url}${BASE}/slettFiler`, {
      method: 'POST',
      headers: { authorization: basic(creds), 'content-type': 'application/json' },
      body: JSON.stringify([{ id: deleted }]),
    });
    assert.equal(res.status, 204);
    assert.equal((await restCall(node.url, creds, `/${deleted}/status`)).body.status, 'IKKE_LEVERT');
    await node.stop();

    node = await startTestNode({}, dir);
    await waitForStatus(node.url, creds, kept, 'SENDT_PRINT');
    const jobs = node.node.storage.jobs;
    await eventually(
      async () => {
        const c = await jobs.counts();
        return c.waiting + c.active === 0 ? c : undefined;
      },
      15_000,
      'the jobs to be done',
    );
    assert.equal((await jobs.counts()).failed, 0, 'no job failed on the deleted documents');
    assert.equal((await restCall(node.url, creds, `/${deleted}/status`)).body.status, 'IKKE_LEVERT');
    const lines = (await restCall(node.url, creds, `/${deleted}/historikk`)).body.hendelsesLogger.map(
      (h: { hendelse: string }) => h.hendelse,
    );
    assert.deepEqual(lines.slice(-2), [
      'Dokumenter slettet på forespørsel fra avsender',
      'Ikke levert: dokumentene ble slettet før forsendelsen ble ekspedert',
    ]);
    const dropped = await readdir(join(dir, 'print'));
    assert.ok(
      dropped.some((f) => f.startsWith(kept)),
      'the kept letter was printed',
    );
    assert.ok(
      !dropped.some((f) => f.startsWith(deleted)),
      `nothing printed of the deleted letter: ${dropped.join(', ')}`,
    );
  });
});
