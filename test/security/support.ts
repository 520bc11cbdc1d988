/**
 * Shared footing for the hostile cases (issue "Trust under hostile input"): a real node
 * with one acknowledged letter whose documents' sha256 are recorded, and the check every
 * case ends with — the node still answers `/healthz` at once, and that letter is still
 * readable with the same status family and byte-identical documents.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  ACCEPTED_OR_LATER,
  basic,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';

/** A letter acknowledged before the hostile input, and what must stay true of it. */
export interface Baseline {
  readonly id: string;
  /** sha256 (hex) of each document as downloaded right after acknowledgement. */
  readonly sha256: readonly string[];
}

/** A node under attack, the honest sender that owns the baseline letter, and that letter. */
export interface HostileNode {
  readonly t: TestNode;
  readonly creds: Creds;
  readonly baseline: Baseline;
}

/** Starts a real node (env overrides as for `startTestNode`), creates a sender and acknowledges one letter. */
export async function startHostileNode(env: Record<string, string> = {}): Promise<HostileNode> {
  const t = await startTestNode(env);
  const creds = await t.sender('Ærlig kommune', '974760673');
  const baseline = await acknowledgeBaseline(t.url, creds);
  return { t, creds, baseline };
}

/** Sends one ordinary letter, waits until it is accepted, and records its documents' sha256. */
export async function acknowledgeBaseline(url: string, creds: Creds): Promise<Baseline> {
  const sent = await restSend(url, creds, restForsendelse({ tittel: 'Grunnlinje' }), [
    { filename: 'brev.pdf', bytes: await letterPdf() },
  ]);
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const id = String(sent.body.id);
  await waitForStatus(url, creds, id, ACCEPTED_OR_LATER);
  return { id, sha256: await documentHashes(url, creds, id) };
}

/** Downloads every document of `id` over REST v1 and hashes it. */
export async function documentHashes(url: string, creds: Creds, id: string): Promise<string[]> {
  const meta = await restCall(url, creds, `/${id}/dokumentMetadata`);
  assert.equal(meta.status, 200, `dokumentMetadata of ${id}: ${JSON.stringify(meta.body)}`);
  const docs = meta.body.dokumentMetadata as { sha256hash: string }[];
  const hashes: string[] = [];
  for (let i = 0; i < docs.length; i++) {
    const res = await fetch(`${url}/tjenester/api/forsendelse/v1/${id}/dokumenter/${i}`, {
      headers: { authorization: basic(creds) },
    });
    assert.equal(res.status, 200, `document ${i} of ${id}`);
    hashes.push(
      createHash('sha256')
        .update(new Uint8Array(await res.arrayBuffer()))
        .digest('hex'),
    );
  }
  return hashes;
}

/** `/healthz` answers 200 within `withinMs` (the event loop is free and the process alive). */
export async function assertHealthy(url: string, withinMs = 2_000): Promise<void> {
  const started = Date.now();
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(withinMs) });
  assert.equal(res.status, 200, '/healthz');
  await res.arrayBuffer();
  assert.ok(Date.now() - started <= withinMs, `/healthz took ${Date.now() - started} ms`);
}

/**
 * The closing check of every hostile case: the node is healthy, and the acknowledged letter
 * is still readable, not refused or lost, with byte-identical documents.
 */
export async function assertStillSound(h: HostileNode): Promise<void> {
  await assertHealthy(h.t.url);
  const status = await restCall(h.t.url, h.creds, `/${h.baseline.id}/status`);
  assert.equal(status.status, 200, `status of the baseline letter: ${JSON.stringify(status.body)}`);
  assert.ok(
    (ACCEPTED_OR_LATER as readonly string[]).includes(String(status.body.status)),
    `baseline status ${status.body.status}`,
  );
  assert.deepEqual(
    await documentHashes(h.t.url, h.creds, h.baseline.id),
    h.baseline.sha256,
    'baseline documents changed',
  );
}

/** Asserts a refusal: the HTTP status, and a body that names `field` (when given) and matches the Norwegian `message`. */
export function assertRefusal(
  res: { status: number; text: string },
  status: number,
  message: RegExp,
  field?: string,
): void {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  assert.match(res.text, message);
  if (field !== undefined)
    assert.ok(res.text.includes(field), `the refusal names '${field}': ${res.text.slice(0, 500)}`);
}
