/**
 * What the MongoDB reference backfill reads from a stored letter (the run itself needs
 * MongoDB: test/contract/mongo-faults.test.ts runs it, batched, cut off and resumed, on
 * several nodes at once; test/contract/mongo.test.ts through GridFsBlobStore). The views are
 * the read model's own records, passed through JSON as the Mongo read model stores them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evolve } from '../../../src/domain/forsendelse-state.js';
import { toRecord } from '../../../src/domain/record.js';
import { blobsOfView } from '../../../src/storage/mongo/blob-refs-backfill.js';
import { FIL, ev, existing, stored, upTo } from '../domain/given.js';

const viewOf = (state: ReturnType<typeof existing>): Parameters<typeof blobsOfView>[0] =>
  JSON.parse(JSON.stringify(toRecord(state, 1).view)) as Parameters<typeof blobsOfView>[0];

describe('blobsOfView: the blobs a letter stored before reference tracking holds', () => {
  it('its documents once received, and its generated file once accepted', () => {
    const received = existing([
      ev.mottatt({ dokumenter: [stored('a.pdf', 1), stored('b.pdf', 2), stored('a-igjen.pdf', 1)] }),
    ]);
    assert.deepEqual(blobsOfView(viewOf(received)), [stored('a.pdf', 1).blob.sha256, stored('b.pdf', 2).blob.sha256]);
    const accepted = evolve(received, ev.akseptert());
    assert.deepEqual(blobsOfView(viewOf(accepted)), [
      stored('a.pdf', 1).blob.sha256,
      stored('b.pdf', 2).blob.sha256,
      FIL.sha256,
    ]);
  });

  it('nothing once its documents are deleted', () => {
    assert.deepEqual(blobsOfView(viewOf(existing([...upTo.printet(), ev.dokumenterSlettet()]))), []);
  });
});
