/**
 * The served WSDLs (docs/interfaces.md §6a) each carry a schema xmllint compiles, and the schema
 * check the acceptance tests rely on can fail: V4's 9-value status enumeration refuses a
 * status only V6+ know, which is why V4 maps it (docs/interfaces.md §7a).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadWsdl, SERVICE_VERSIONS } from '../../../src/http/soap/index.js';
import { responseEnvelope } from '../../../src/http/soap/response-writer.js';
import { WsdlSchema } from '../../support/wsdl-schema.js';

describe('served WSDLs and their schemas', () => {
  const schemas = new Map(SERVICE_VERSIONS.map((v) => [v.name, new WsdlSchema(loadWsdl('http://h.test', v.name))]));
  after(() => {
    for (const s of schemas.values()) s.dispose();
  });
  const status = (name: string, value: string): string | undefined => {
    const v = SERVICE_VERSIONS.find((s) => s.name === name);
    assert.ok(v);
    const op = v.model.startsWith('camel') ? 'retrieveForsendelsesStatus' : 'retrieveForsendelseStatus';
    const ret = v.model.startsWith('camel')
      ? [
          [
            ['forsendelsesId', [['id', 'x']]],
            ['sisteStatusEndring', '2024-01-01T12:00:00.000+01:00'],
            ['status', value],
          ] as const,
        ]
      : [value];
    return schemas.get(name)?.problems(responseEnvelope('1.2', op, ret, v.namespace));
  };

  it('each version answers its namespace with a valid status, and its WSDL names its own service and address', () => {
    for (const v of SERVICE_VERSIONS) {
      assert.equal(status(v.name, 'AKSEPTERT'), undefined, v.name);
      const wsdl = loadWsdl('http://h.test', v.name);
      assert.ok(wsdl.includes(`name="${v.name}"`), v.name);
      assert.ok(wsdl.includes(`location="http://h.test/tjenester/forsendelseservice/${v.name}"`), v.name);
      assert.ok(wsdl.includes(`targetNamespace="${v.namespace}"`), v.name);
      // The port is named as the service, as in every WSDL KS published (V4–V9): clients bind
      // by that name (zeep's client.bind(service, port), JAX-WS's getForsendelsesServiceV9()).
      const port = /<wsdl:port\b[^>]*>/.exec(wsdl)?.[0] ?? '';
      assert.match(port, new RegExp(`\\bname="${v.name}"`), `${v.name}: ${port}`);
    }
  });

  it("V4's schema refuses KLAR_FOR_MOTTAK, which V6 and later accept", () => {
    assert.match(status('ForsendelsesServiceV4', 'KLAR_FOR_MOTTAK') ?? '', /not an element of the set|not valid/);
    for (const name of ['ForsendelsesServiceV6', 'ForsendelsesServiceV9', 'ForsendelsesServiceV11']) {
      assert.equal(status(name, 'KLAR_FOR_MOTTAK'), undefined, name);
    }
  });

  it('a wrong element in the answer is reported', () => {
    const v10 = SERVICE_VERSIONS.find((s) => s.name === 'ForsendelsesServiceV10');
    assert.ok(v10);
    const bad = responseEnvelope('1.2', 'sendForsendelse', [[['forsendelsesid', 'x']]], v10.namespace);
    assert.match(schemas.get(v10.name)?.problems(bad) ?? '', /forsendelsesid/);
  });
});
