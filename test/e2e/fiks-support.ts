/**
 * For the REST v2/v3 tests: a token issuer of the test's own (RSA keys, a JWKS served on
 * 127.0.0.1 and written to a file, tokens signed as Maskinporten and Fiksporten sign them),
 * a checker that validates every answer against KS's OpenAPI files with ajv, and a client
 * written from those specs alone (paths, headers, multipart layout of fiks-svarut-klient).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

const SPEC_DIR = join(import.meta.dirname, '..', '..', 'src', 'http', 'openapi', 'ks');

/** A signing key with its public JWK. */
export interface TestKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

/** Makes an RS256 key pair named `kid`. */
export async function testKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** A JWKS served over HTTP on 127.0.0.1 and written to a file. */
export interface JwksHost {
  readonly url: string;
  readonly file: string;
  /** How many times the JWKS was fetched over HTTP. */
  fetches(): number;
  close(): Promise<void>;
}

/** Serves `keys` as a JWKS at `<url>` and writes it to `<dir>/jwks.json`. */
export async function hostJwks(keys: readonly TestKey[], dir: string): Promise<JwksHost> {
  const body = JSON.stringify({ keys: keys.map((k) => k.jwk) });
  const file = join(dir, `jwks-${keys.map((k) => k.kid).join('-')}.json`);
  await writeFile(file, body);
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    fetches++;
    res.writeHead(req.url === '/jwk' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/jwk' ? body : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwk`,
    file,
    fetches: () => fetches,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Claims and lifetime of a test token. */
export interface TokenOptions {
  readonly issuer: string;
  readonly scope?: string;
  /** Seconds from now; negative for an expired token. */
  readonly expiresIn?: number;
  readonly clientId?: string;
  /** The calling organisation's number (`consumer`), TOKEN_ORGNR unless given; null for a token without one. */
  readonly consumer?: string | null;
  /** `consumer.ID` exactly as given (not `0192:` and an organisation number), for malformed ones. */
  readonly consumerId?: string;
  /** Seconds from now of `iat`; by default now (or 60 s before `exp`, whichever is earlier). */
  readonly issuedIn?: number;
  /** Seconds from now of `nbf`, left out unless given. */
  readonly notBeforeIn?: number;
  /** `aud`, left out unless given (KS's clients ask Maskinporten without a resource). */
  readonly audience?: string | string[];
}

/** The organisation test tokens are issued to: authorise it for an integration that is called with them. */
export const TOKEN_ORGNR = '974760673';

/** A JWT access token as Maskinporten (or Fiksporten) issues it, signed with `key`. */
export async function makeToken(key: TestKey, o: TokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + (o.expiresIn ?? 120);
  const jwt = new SignJWT({
    scope: o.scope ?? 'ks:fiks',
    client_id: o.clientId ?? 'c6a3a0c4-1111-4f4b-9e5e-8d1f1b2f0000',
    ...(o.consumer === null
      ? {}
      : { consumer: { authority: 'iso6523-actorid-upis', ID: o.consumerId ?? `0192:${o.consumer ?? TOKEN_ORGNR}` } }),
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
    .setIssuer(o.issuer)
    .setIssuedAt(o.issuedIn === undefined ? Math.min(now, exp - 60) : now + o.issuedIn)
    .setExpirationTime(exp)
    .setJti(crypto.randomUUID());
  if (o.audience !== undefined) jwt.setAudience(o.audience);
  if (o.notBeforeIn !== undefined) jwt.setNotBefore(now + o.notBeforeIn);
  return jwt.sign(key.privateKey);
}

/** Validates answers against KS's OpenAPI files (the copies in src/http/openapi/ks/). */
export class OpenApiChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly specs = new Map<string, { paths: Record<string, Record<string, Operation>> }>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    (addFormatsModule as unknown as (ajv: Ajv) => void)(this.ajv);
    for (const file of readdirSync(SPEC_DIR)) {
      const spec = JSON.parse(readFileSync(join(SPEC_DIR, file), 'utf8')) as {
        paths: Record<string, Record<string, Operation>>;
      };
      this.specs.set(file, spec);
      this.ajv.addSchema({ ...spec, $id: file });
    }
  }

  /**
   * Asserts that `status` and `body` are what operation `method path` of `file` may answer:
   * the documented status, or any error in the `default` (ErrorMessage) schema.
   */
  check(file: string, method: string, path: string, status: number, body: unknown): void {
    const op = this.specs.get(file)?.paths[path]?.[method.toLowerCase()];
    assert.ok(op, `${file}: no operation ${method} ${path}`);
    const response = op.responses[String(status)] ?? (status >= 400 ? op.responses['default'] : undefined);
    assert.ok(response, `${method} ${path}: status ${status} is not in the spec (${JSON.stringify(body)})`);
    const content = response.content;
    if (content === undefined) {
      assert.equal(body, undefined, `${method} ${path} ${status} has no body in the spec`);
      return;
    }
    const media = content['application/json'] ?? content['*/*'];
    const ref = media?.schema?.$ref;
    assert.ok(ref, `${method} ${path} ${status}: no schema`);
    const key = `${file}${ref}`;
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: key });
      this.compiled.set(key, validate);
    }
    assert.ok(
      validate(body),
      `${method} ${path} ${status} does not match ${ref}: ${this.ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`,
    );
  }
}

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

/** How a Fiks client authenticates (fiks-svarut-klient's two strategies). */
export type FiksAuth =
  { readonly token: string; readonly integrasjonId: string; readonly passord: string } | { readonly token: string };

/** One answer: status, parsed JSON (undefined when empty), raw bytes and headers. */
export interface FiksAnswer {
  readonly status: number;
  readonly json: any;
  readonly bytes: Uint8Array;
  readonly headers: Headers;
}

/** A document to send. */
export interface FiksFile {
  readonly filename: string;
  readonly bytes: Uint8Array;
  readonly mimeType: string;
}

/** A REST v2/v3 client written from KS's specs and fiks-svarut-klient's wire layout. */
export class FiksClient {
  constructor(
    readonly baseUrl: string,
    private readonly auth: () => Promise<FiksAuth>,
  ) {}

  private async headers(): Promise<Record<string, string>> {
    const a = await this.auth();
    return 'integrasjonId' in a
      ? { authorization: `Bearer ${a.token}`, IntegrasjonId: a.integrasjonId, IntegrasjonPassord: a.passord }
      : { authorization: `Bearer ${a.token}` };
  }

  /** Any call; `url` is a path under the base URL or an absolute URL (a nedlasningUrl). */
  async call(method: string, url: string, json?: unknown): Promise<FiksAnswer> {
    const res = await fetch(url.startsWith('http') ? url : `${this.baseUrl}${url}`, {
      method,
      headers: {
        ...(await this.headers()),
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    return answer(res);
  }

  /**
   * A send as KS's Java client makes it: part `forsendelse` as text/plain JSON without a
   * filename, then one part per document, `filer_0`, `filer_1`, …, each with its filename
   * (v2: application/octet-stream; v3: the document's mimeType).
   */
  async send(path: string, forsendelse: unknown, files: readonly FiksFile[], v3: boolean): Promise<FiksAnswer> {
    const form = new FormData();
    // A string is sent as it is (JSON a test wrote by hand, e.g. nested deeper than JSON.stringify goes).
    form.append('forsendelse', typeof forsendelse === 'string' ? forsendelse : JSON.stringify(forsendelse));
    files.forEach((f, i) =>
      form.append(
        `filer_${i}`,
        new Blob([new Uint8Array(f.bytes)], { type: v3 ? f.mimeType : 'application/octet-stream' }),
        f.filename,
      ),
    );
    const res = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers: await this.headers(), body: form });
    return answer(res);
  }
}

async function answer(res: Response): Promise<FiksAnswer> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  const text = new TextDecoder().decode(bytes);
  return {
    status: res.status,
    json: isJson && text !== '' ? JSON.parse(text) : undefined,
    bytes,
    headers: res.headers,
  };
}
