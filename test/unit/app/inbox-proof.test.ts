/**
 * The level-4 proof a browser keeps after a right one-time code (InboxService.proofFor):
 * signed, naming its link, and ending after NIVA4_PROOF_MS on the server's clock, whatever
 * the cookie's Max-Age told the browser.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { InboxLinks } from '../../../src/app/inbox-links.js';
import { InboxService, NIVA4_PROOF_MS } from '../../../src/app/inbox-service.js';
import { OneTimeCodeUses } from '../../../src/app/one-time-code-uses.js';
import { openSqlite, SqliteAttemptCounter } from '../../../src/storage/sqlite/index.js';
import type { ForsendelseState } from '../../../src/domain/forsendelse-state.js';

const TOKEN_A = `${'a'.repeat(20)}.${'A'.repeat(43)}`;
const TOKEN_B = `${'b'.repeat(20)}.${'B'.repeat(43)}`;
const niva4 = { input: { krevNiva4Innlogging: true } } as unknown as ForsendelseState;
const niva3 = { input: { krevNiva4Innlogging: false } } as unknown as ForsendelseState;
const brevA = { id: 'brev-a', input: { krevNiva4Innlogging: true } } as unknown as ForsendelseState;
const brevB = { id: 'brev-b', input: { krevNiva4Innlogging: true } } as unknown as ForsendelseState;

function service(clock: { now: number }, secret = randomBytes(32)): InboxService {
  return new InboxService({
    links: new InboxLinks(secret),
    readModel: { get: async () => undefined },
    actors: { execute: async () => undefined } as never,
    files: { open: async () => undefined } as never,
    now: () => clock.now,
    codeUses: new OneTimeCodeUses(new SqliteAttemptCounter(openSqlite(':memory:'))),
  });
}

describe('level-4 proof', () => {
  it('opens its own letter until NIVA4_PROOF_MS has passed, then no more', () => {
    const clock = { now: Date.UTC(2026, 11, 5, 10) };
    const inbox = service(clock);
    const proof = inbox.proofFor(TOKEN_A);
    assert.equal(inbox.isVerified(niva4, TOKEN_A, proof), true);
    clock.now += NIVA4_PROOF_MS - 1;
    assert.equal(inbox.isVerified(niva4, TOKEN_A, proof), true);
    clock.now += 1;
    assert.equal(inbox.isVerified(niva4, TOKEN_A, proof), false);
  });

  it("opens no other letter, and nothing opens with a forged, altered or other node's proof", () => {
    const clock = { now: Date.UTC(2026, 11, 5, 10) };
    const inbox = service(clock);
    const proof = inbox.proofFor(TOKEN_A);
    assert.equal(inbox.isVerified(niva4, TOKEN_B, proof), false);
    assert.equal(inbox.isVerified(niva4, TOKEN_A, undefined), false);
    assert.equal(inbox.isVerified(niva4, TOKEN_A, `${'A'.repeat(43)}~${clock.now + 10_000}.x`), false);
    // A later end written into a real proof breaks its signature.
    const later = proof.replace(/~(\d+)\./, (_, until: string) => `~${Number(until) + NIVA4_PROOF_MS}.`);
    assert.notEqual(later, proof);
    assert.equal(inbox.isVerified(niva4, TOKEN_A, later), false);
    assert.equal(inbox.isVerified(niva4, TOKEN_A, service(clock).proofFor(TOKEN_A)), false);
    // A letter without the requirement needs no proof.
    assert.equal(inbox.isVerified(niva3, TOKEN_B, undefined), true);
  });

  it('a right code opens the letter once: used again it is refused, and the next code sent is another that works', async () => {
    const clock = { now: Date.UTC(2026, 11, 5, 10, 1) };
    const inbox = service(clock);
    const first = await inbox.oneTimeCode(brevA, TOKEN_A);
    assert.equal(await inbox.oneTimeCode(brevA, TOKEN_A), first, 'asked again before use: the same code');
    const wrong = first === '000000' ? '111111' : '000000';
    assert.equal(await inbox.useOneTimeCode(brevA, TOKEN_A, wrong), 'feil');
    assert.equal(await inbox.useOneTimeCode(brevA, TOKEN_A, first), 'rett');
    assert.equal(await inbox.useOneTimeCode(brevA, TOKEN_A, first), 'brukt');
    clock.now += 60_000;
    const second = await inbox.oneTimeCode(brevA, TOKEN_A);
    assert.notEqual(second, first, 'within the same 10-minute window, a new code');
    assert.equal(await inbox.useOneTimeCode(brevA, TOKEN_A, first), 'brukt');
    assert.equal(await inbox.useOneTimeCode(brevA, TOKEN_A, second), 'rett');
    // Another letter's codes are its own.
    assert.equal(await inbox.useOneTimeCode(brevB, TOKEN_B, await inbox.oneTimeCode(brevB, TOKEN_B)), 'rett');
  });

  it('a code sent long after a use is checked against the generation it was made with', async () => {
    const clock = { now: Date.UTC(2026, 11, 5, 10, 1) };
    const inbox = service(clock);
    assert.equal(await inbox.useOneTimeCode(brevA, TOKEN_A, await inbox.oneTimeCode(brevA, TOKEN_A)), 'rett');
    clock.now += 25 * 60_000;
    const later = await inbox.oneTimeCode(brevA, TOKEN_A);
    clock.now += 8 * 60_000; // 33 minutes after the use: the generation is still known
    assert.equal(await inbox.useOneTimeCode(brevA, TOKEN_A, later), 'rett');
  });

  it('of two uses of one right code at once, exactly one opens the letter', async () => {
    const clock = { now: Date.UTC(2026, 11, 5, 10, 1) };
    const inbox = service(clock);
    const code = await inbox.oneTimeCode(brevA, TOKEN_A);
    const results = await Promise.all(Array.from({ length: 5 }, () => inbox.useOneTimeCode(brevA, TOKEN_A, code)));
    assert.deepEqual(results.sort(), ['brukt', 'brukt', 'brukt', 'brukt', 'rett']);
  });
});
