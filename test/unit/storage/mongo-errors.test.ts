/**
 * Which bulk-write failures MongoBlobHolds.claim may ignore: the mixes a real replica set
 * produces (a lost upsert race beside another write error, or beside a write concern that
 * was not met) that the emulated server cannot. The bulk errors have the shape of the
 * driver's MongoBulkWriteError (whose constructor is internal): `code` is the first write
 * error's, `writeErrors` lists them, `result.getWriteConcernError()` gives the write
 * concern's failure.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MongoServerError } from 'mongodb';
import { isOnlyDuplicateKeyWriteErrors } from '../../../src/storage/mongo/mongo-errors.js';

/** What an unordered bulk write throws. */
function bulkError(codes: readonly number[], writeConcern?: { code: number; errmsg: string }): object {
  return {
    name: 'MongoBulkWriteError',
    code: codes[0] ?? writeConcern?.code,
    writeErrors: codes.map((code, index) => ({ code, index, errmsg: `E${code}` })),
    result: { getWriteConcernError: () => writeConcern },
  };
}

describe('isOnlyDuplicateKeyWriteErrors', () => {
  it('ignores a bulk write whose every write error is E11000 and whose write concern was met', () => {
    assert.equal(isOnlyDuplicateKeyWriteErrors(bulkError([11000])), true);
    assert.equal(isOnlyDuplicateKeyWriteErrors(bulkError([11000, 11000])), true);
  });

  it('does not ignore E11000 beside another write error', () => {
    assert.equal(isOnlyDuplicateKeyWriteErrors(bulkError([11000, 121])), false);
    assert.equal(isOnlyDuplicateKeyWriteErrors(bulkError([121, 11000])), false);
  });

  it('does not ignore E11000 when the write concern failed', () => {
    assert.equal(
      isOnlyDuplicateKeyWriteErrors(bulkError([11000], { code: 64, errmsg: 'waiting for replication timed out' })),
      false,
    );
    assert.equal(
      isOnlyDuplicateKeyWriteErrors(bulkError([], { code: 64, errmsg: 'waiting for replication timed out' })),
      false,
    );
  });

  it('does not ignore a command that failed as a whole, whatever its code', () => {
    assert.equal(isOnlyDuplicateKeyWriteErrors(new MongoServerError({ message: 'E11000', code: 11000 })), false);
    assert.equal(isOnlyDuplicateKeyWriteErrors(new Error('E11000')), false);
  });
});
