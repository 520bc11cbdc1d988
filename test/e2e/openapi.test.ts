/**
 * The API documentation: `/api-dokumentasjon` lists every spec (Budbringer's REST v1 with the
 * webhook extension, KS's REST v2/v3 files unchanged) with Swagger UI served from this origin
 * under a CSP of its own; and real REST v1 answers — successes and errors, the webhook
 * subscription API included — are validated against the REST v1 spec with ajv, so the spec
 * cannot drift from what the node serves.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { API_SPECS } from '../../src/http/openapi/index.js';
import {
  FNR,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  type Creds,
  type TestNode,
} from '../factories.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;

type Spec = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
  components: object;
};

/**
 * The schema with every object closed (no property the spec does not name), so a field the
 * node sends but the spec lacks fails too.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = closed(v);
  if ('properties' in out && !('additionalProperties' in out)) out['additionalProperties'] = false;
  return out;
}

/** Validates answers against the response schemas of `spec` (objects closed). */
function responseValidator(spec: Spec): (path: string, method: string, status: number, body: unknown) => void {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  const compiled = new Map<string, ValidateFunction>();
  return (path, method, status, body) => {
    const key = `${method} ${path} ${status}`;
    let validate = compiled.get(key);
    if (validate === undefined) {
      const response = spec.paths[path]?.[method]?.responses[String(status)];
      assert.ok(response !== undefined, `the spec describes ${key}`);
      const schema = response.content?.['application/json']?.schema;
      assert.ok(schema !== undefined, `the spec gives a JSON schema for ${key}`);
      validate = ajv.compile({ ...(closed(schema) as object), components: closed(spec.components) });
      compiled.set(key, validate);
    }
    assert.ok(validate(body), `${key}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(body)}`);
  };
}

describe('API documentation', () => {
  let t: TestNode;
  let creds: Creds;
  before(async () => {
    t = await startTestNode({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    creds = await t.sender('Dokumentasjonskommune');
  });
  after(() => t.stop());

  it('serves the page with its own CSP, Swagger UI from this origin, and every spec', async () => {
    const page = await fetch(`${t.url}/api-dokumentasjon`);
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    const html = await page.text();
    assert.doesNotMatch(html, /<script>|<script [^>]*>[^<]/, 'no inline script');
    assert.doesNotMatch(html, /https?:\/\//, 'nothing from another origin');
    for (const s of API_SPECS) assert.match(html, new RegExp(`/api-dokumentasjon/${s.name}\\.json`), s.name);
    for (const [file, type] of [
      ['swagger-ui/swagger-ui-bundle.js', 'text/javascript'],
      ['swagger-ui/swagger-ui.css', 'text/css'],
      ['start.js', 'text/javascript'],
    ]) {
      const r = await fetch(`${t.url}/api-dokumentasjon/${file}`);
      assert.equal(r.status, 200, String(file));
      assert.match(r.headers.get('content-type') ?? '', new RegExp(type as string));
      assert.ok((await r.arrayBuffer()).byteLength > 100);
    }
    assert.equal((await fetch(`${t.url}/api-dokumentasjon/swagger-ui/package.json`)).status, 404);
    assert.equal((await fetch(`${t.url}/api-dokumentasjon/..%2Fpackage.json`)).status, 404);
    for (const s of API_SPECS) {
      const r = await fetch(`${t.url}/api-dokumentasjon/${s.name}.json`);
      assert.equal(r.status, 200);
      const served = Buffer.from(await r.arrayBuffer());
      assert.ok(served.equals(await readFile(s.file)), `${s.name} is served byte for byte`);
      assert.match((JSON.parse(served.toString('utf8')) as { openapi: string }).openapi, /^3\./);
    }
    assert.equal(API_SPECS.filter((s) => s.file.includes(join('openapi', 'ks'))).length, 11, 'all of KS v2/v3');
    const home = await (await fetch(`${t.url}/`)).text();
    assert.match(home, /href="\/api-dokumentasjon"/);
  });

  it('describes every REST v1 answer the node gives, errors and the webhook API included', async () => {
    const spec = JSON.parse(
      await readFile(API_SPECS.find((s) => s.name === 'budbringer-rest-v1')?.file ?? '', 'utf8'),
    ) as Spec;
    const check = responseValidator(spec);
    const call = async (method: string, path: string, template: string, json?: unknown, c: Creds = creds) => {
      const r = await restCall(t.url, c, path, { method: method.toUpperCase(), json });
      if (r.status !== 204 && !(template === '/{id}/settLest' && r.status === 200))
        check(template, method, r.status, r.body);
      return r;
    };
    const sent = await restSend(t.url, creds, restForsendelse({ eksternReferanse: 'ref-1' }), [
      { filename: 'brev.pdf', bytes: await letterPdf() },
    ]);
    check('/sendForsendelse', 'post', sent.status, sent.body);
    const id = sent.body.id as string;
    // The check itself can fail: an unknown status, a field the spec does not name.
    assert.throws(() => check('/{id}/status', 'get', 200, { status: 'UKJENT' }), /status/);
    assert.throws(() => check('/{id}/status', 'get', 200, { status: 'LEST', ekstra: 1 }), /additional/);
    const bad = await restSend(t.url, creds, restForsendelse({ tittel: '' }), []);
    check('/sendForsendelse', 'post', bad.status, bad.body);
    assert.equal(bad.status, 400);
    await call('post', '/startNyForsendelse', '/startNyForsendelse');
    await call('get', `/${id}/status`, '/{id}/status');
    assert.equal((await call('get', '/00000000-0000-4000-8000-000000000000/status', '/{id}/status')).status, 404);
    await call('post', '/statuser', '/statuser', [id, '00000000-0000-4000-8000-000000000000']);
    assert.equal((await call('post', '/statuser', '/statuser', { ikke: 'liste' })).status, 400);
    await call('get', `/${id}/historikk`, '/{id}/historikk');
    const meta = await call('get', `/${id}/dokumentMetadata`, '/{id}/dokumentMetadata');
    assert.equal(meta.body.dokumentMetadata.length, 1);
    await call('get', `/${id}/signeringhistorikk`, '/{id}/signeringhistorikk');
    const lest = await call('post', `/${id}/settLest`, '/{id}/settLest', {
      lestAvFodselsNummer: FNR[0],
      navnPaEksterntSystem: 'Arkiv',
      datoLest: Date.now(),
    });
    assert.equal(lest.status, 200);
    await call('get', '/forsendelseTyper', '/forsendelseTyper');
    await call('get', '/mottakersystem?organisasjonsNummer=974760673', '/mottakersystem');
    await call('get', '/mottakersystem/974760673', '/mottakersystem/{orgnr}');
    const refs = await call('get', '/eksternref/ref-1', '/eksternref/{eksternref}');
    assert.deepEqual(refs.body.forsendelseIder, [{ id }]);
    assert.equal((await call('post', '/slettFiler', '/slettFiler', [{ id }])).status, 204);
    const unauth = await call('get', '/forsendelseTyper', '/forsendelseTyper', undefined, { user: 'x', password: 'y' });
    assert.equal(unauth.status, 401);

    const created = await call('post', '/abonnementer', '/abonnementer', { url: 'http://127.0.0.1:9/hooks' });
    assert.equal(created.status, 201);
    assert.equal((await call('post', '/abonnementer', '/abonnementer', { url: 'ftp://x/' })).status, 400);
    await call('get', '/abonnementer', '/abonnementer');
    await call('get', `/abonnementer/${created.body.id}`, '/abonnementer/{abonnementId}');
    const upper = await call(
      'get',
      `/abonnementer/${String(created.body.id).toUpperCase()}`,
      '/abonnementer/{abonnementId}',
    );
    assert.equal(upper.status, 200, 'an id in upper case, as letter ids are taken');
    assert.equal(
      (await call('get', '/abonnementer/00000000-0000-4000-8000-000000000000', '/abonnementer/{abonnementId}')).status,
      404,
    );
    await call('get', `/abonnementer/${created.body.id}/leveranser`, '/abonnementer/{abonnementId}/leveranser');
    assert.equal(
      (
        await call(
          'get',
          `/abonnementer/${created.body.id}/leveranser?status=X`,
          '/abonnementer/{abonnementId}/leveranser',
        )
      ).status,
      400,
    );
    await call(
      'post',
      `/abonnementer/${created.body.id}/leveranser/send-igjen`,
      '/abonnementer/{abonnementId}/leveranser/send-igjen',
      {},
    );
    assert.equal(
      (await call('delete', `/abonnementer/${created.body.id}`, '/abonnementer/{abonnementId}')).status,
      204,
    );
  });
});
