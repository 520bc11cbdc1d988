/**
 * The small pieces behind the body limits (docs/limits.md): the limit's own refusals, the
 * forsendelse limit's setting and its old name, and the server timeouts made from settings.
 * The doors themselves are tested with a real node in test/security/body-limits.test.ts.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { httpServerOptions } from '../../../src/composition/node.js';
import { loadSettings } from '../../../src/config/load-settings.js';
import { maxForsendelseBytes } from '../../../src/config/schema.js';
import { BadRequestError, PayloadTooLargeError } from '../../../src/domain/errors.js';
import { BodyLimit, formatLimit, SharedBudget } from '../../../src/http/body-limit.js';

const DEFAULT_JSON = join(import.meta.dirname, '..', '..', '..', 'config', 'default.json');

describe('BodyLimit', () => {
  const limit = new BodyLimit(1024, 'JSON-innholdet er for stort');

  it('refuses a declared length over the limit, and one that is no number', () => {
    assert.throws(
      () => limit.checkDeclared('1025'),
      (e: unknown) =>
        e instanceof PayloadTooLargeError && /JSON-innholdet er for stort: grensen er 1 KiB/.test(e.message),
    );
    assert.throws(
      () => limit.checkDeclared('12abc'),
      (e: unknown) => e instanceof BadRequestError && /Ugyldig Content-Length/.test(e.message),
    );
    limit.checkDeclared('1024');
    limit.checkDeclared(undefined);
  });

  it('reads a Node stream up to the limit, refuses one past it without destroying it', async () => {
    assert.equal(await limit.readText(Readable.from([Buffer.from('["a",'), Buffer.from('"b"]')])), '["a","b"]');
    const long = Readable.from([Buffer.alloc(1000), Buffer.alloc(1000), Buffer.alloc(1000)]);
    await assert.rejects(limit.read(long), PayloadTooLargeError);
    assert.equal(long.destroyed, false, 'left for the server to drain and close');
  });

  it('reads a web stream (app.request in tests) the same way', async () => {
    const web = new Blob([new Uint8Array(2048)]).stream();
    await assert.rejects(limit.read(web as unknown as AsyncIterable<Uint8Array>), PayloadTooLargeError);
  });

  it('shares one budget between parts, naming the part that passed it', () => {
    const budget = new SharedBudget(100, 'Filene er til sammen for store');
    budget.take(60);
    assert.throws(
      () => budget.take(50, 'Filen «b.pdf» er for stor'),
      /Filen «b\.pdf» er for stor: grensen er 100 byte/,
    );
  });

  it('writes limits as people read them', () => {
    assert.equal(formatLimit(350 * 1024 * 1024), '350 MiB');
    assert.equal(formatLimit(Math.ceil((350 * 1024 * 1024 * 4) / 3) + 16 * 1024 * 1024), '482,7 MiB');
    assert.equal(formatLimit(4096), '4 KiB');
    assert.equal(formatLimit(1000), '1000 byte');
  });
});

describe('settings of the limits', () => {
  it('MAX_FORSENDELSE_BYTES, else the old MAX_BODY_BYTES, else 350 MiB', () => {
    assert.equal(maxForsendelseBytes(loadSettings([DEFAULT_JSON], {})), 350 * 1024 * 1024);
    assert.equal(maxForsendelseBytes(loadSettings([DEFAULT_JSON], { MAX_BODY_BYTES: '1000000' })), 1_000_000);
    assert.equal(
      maxForsendelseBytes(
        loadSettings([DEFAULT_JSON], { MAX_BODY_BYTES: '1000000', MAX_FORSENDELSE_BYTES: '2000000' }),
      ),
      2_000_000,
    );
  });

  it('server timeouts from the settings, checked often enough for short ones', () => {
    const defaults = httpServerOptions(loadSettings([DEFAULT_JSON], {}));
    assert.deepEqual(
      {
        requestTimeout: defaults.requestTimeout,
        headersTimeout: defaults.headersTimeout,
        connectionsCheckingInterval: defaults.connectionsCheckingInterval,
      },
      { requestTimeout: 960_000, headersTimeout: 66_000, connectionsCheckingInterval: 16_500 },
    );
    const short = httpServerOptions(
      loadSettings([DEFAULT_JSON], { HEADERS_TIMEOUT_MS: '1500', REQUEST_TIMEOUT_MS: '3000' }),
    );
    assert.equal(short.connectionsCheckingInterval, 375);
  });
});
