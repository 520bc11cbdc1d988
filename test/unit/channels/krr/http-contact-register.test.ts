import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { HttpContactRegister, KrrUnavailableError } from '../../../../src/channels/krr/index.js';
import { startKrrStandIn, type KrrFault, type KrrRequest, type KrrStandIn } from '../../../support/krr-stand-in.js';

const TOKEN = 'test-token-krr';
const AKTIV = '01010112345';

/** Faults by path prefix, for a request with the right token (a wrong one gets the stand-in's 401). */
const FAULTS: Record<string, KrrFault> = {
  '/down/': { status: 503, body: 'Service Unavailable' },
  '/garbage/': { status: 200, body: '<html>proxy error</html>' },
  '/unquoted/': {
    status: 200,
    body: '{"personer": [{"kontaktinformasjon": {"epostadresse": ola.hemmelig@example.no}}]}',
  },
  '/wrongshape/': { status: 200, body: '{"personer":[{"status":"AKTIV"}]}' },
  '/empty/': { status: 200, body: '{"personer":[]}' },
};

/** Routes by path to pick a behaviour: `/hang/` never answers, the others as FAULTS, `/ok/` the register. */
function faultFor(req: KrrRequest): KrrFault | undefined {
  const url = req.url ?? '';
  if (url.startsWith('/hang/')) return 'hang';
  if (req.authorization !== `Bearer ${TOKEN}`) return undefined;
  return Object.entries(FAULTS).find(([prefix]) => url.startsWith(prefix))?.[1];
}

void describe('HttpContactRegister', () => {
  let standIn: KrrStandIn;
  let seen: readonly KrrRequest[];
  let base: string;
  before(async () => {
    standIn = await startKrrStandIn({
      token: TOKEN,
      persons: {
        [AKTIV]: {
          reservasjon: 'NEI',
          status: 'AKTIV',
          kontaktinformasjon: { epostadresse: 'kari@example.no', mobiltelefonnummer: '+4799999999' },
          digital_post: { postkasseadresse: 'kari#1', postkasseleverandoeradresse: '984661185' },
        },
      },
      fault: faultFor,
    });
    seen = standIn.requests;
    base = standIn.base;
  });
  after(() => standIn.close());

  /** Asserts a KrrUnavailableError (retryable) whose message matches `message`. */
  const unavailable = (message: RegExp, httpStatus?: number) => (err: unknown) => {
    assert.ok(err instanceof KrrUnavailableError, `expected KrrUnavailableError, got ${String(err)}`);
    assert.equal(err.retryable, true);
    assert.match(err.message, message);
    assert.equal(err.httpStatus, httpStatus);
    assert.doesNotMatch(err.message, new RegExp(AKTIV));
    return true;
  };

  void it("POSTs Digdir's request with the bearer token and returns the person", async () => {
    const krr = new HttpContactRegister({ url: `${base}/ok/rest/v1/personer`, token: TOKEN, timeoutMs: 5000 });
    const count = seen.length;
    const person = await krr.lookup(AKTIV);
    assert.deepEqual(person, {
      personidentifikator: AKTIV,
      reservasjon: 'NEI',
      status: 'AKTIV',
      kontaktinformasjon: { epostadresse: 'kari@example.no', mobiltelefonnummer: '+4799999999' },
      digital_post: { postkasseadresse: 'kari#1', postkasseleverandoeradresse: '984661185' },
    });
    const req = seen[count];
    assert.ok(req);
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/ok/rest/v1/personer');
    assert.equal(req.authorization, `Bearer ${TOKEN}`);
    assert.equal(req.contentType, 'application/json');
    assert.deepEqual(JSON.parse(req.body), { personidentifikatorer: [AKTIV] });
  });

  void it('asks a token function for each request (a Maskinporten token source fits here)', async () => {
    let calls = 0;
    const token = async () => {
      calls += 1;
      return TOKEN;
    };
    const krr = new HttpContactRegister({ url: `${base}/ok/rest/v1/personer`, token });
    assert.equal((await krr.lookup('03030312345'))?.status, 'IKKE_REGISTRERT');
    assert.equal((await krr.lookup(AKTIV))?.status, 'AKTIV');
    assert.equal(calls, 2);
  });

  void it('given a wrong token, then a retryable error carrying HTTP 401', async () => {
    const krr = new HttpContactRegister({ url: `${base}/ok/rest/v1/personer`, token: 'wrong' });
    await assert.rejects(krr.lookup(AKTIV), unavailable(/KRR svarte med HTTP 401/, 401));
  });

  void it('given a server error, then a retryable error carrying the status', async () => {
    const krr = new HttpContactRegister({ url: `${base}/down/rest/v1/personer`, token: TOKEN });
    await assert.rejects(krr.lookup(AKTIV), unavailable(/HTTP 503/, 503));
  });

  void it('given a body that is not JSON, then a retryable error', async () => {
    const krr = new HttpContactRegister({ url: `${base}/garbage/rest/v1/personer`, token: TOKEN });
    await assert.rejects(krr.lookup(AKTIV), unavailable(/KRR-svaret er ikke gyldig JSON/, 200));
  });

  void it('given a broken body around a contact address, then the error and its causes never quote it', async () => {
    const krr = new HttpContactRegister({ url: `${base}/unquoted/rest/v1/personer`, token: TOKEN });
    await assert.rejects(krr.lookup(AKTIV), (err: unknown) => {
      assert.ok(err instanceof KrrUnavailableError);
      assert.match(err.message, /KRR-svaret er ikke gyldig JSON/);
      assert.doesNotMatch(JSON.stringify(pino.stdSerializers.err(err)), /hemmel|example\.no/);
      return true;
    });
  });

  void it('given JSON of the wrong shape, then the error names the field', async () => {
    const krr = new HttpContactRegister({ url: `${base}/wrongshape/rest/v1/personer`, token: TOKEN });
    await assert.rejects(
      krr.lookup(AKTIV),
      unavailable(/KRR-svaret har feil format: personer\[0\]\.personidentifikator/),
    );
  });

  void it('given an answer without the person, then undefined', async () => {
    const krr = new HttpContactRegister({ url: `${base}/empty/rest/v1/personer`, token: TOKEN });
    assert.equal(await krr.lookup(AKTIV), undefined);
  });

  void it('given a server that never answers, then the timeout gives a retryable error', async () => {
    const krr = new HttpContactRegister({ url: `${base}/hang/rest/v1/personer`, token: TOKEN, timeoutMs: 50 });
    await assert.rejects(krr.lookup(AKTIV), unavailable(/KRR svarte ikke innen 50 ms/));
  });

  void it('given nothing listening, then a retryable error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const krr = new HttpContactRegister({ url: `http://127.0.0.1:${port}/rest/v1/personer`, token: TOKEN });
    await assert.rejects(krr.lookup(AKTIV), unavailable(/Kan ikke nå KRR/));
  });
});
