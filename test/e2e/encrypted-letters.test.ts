/**
 * Encrypted letters (kryptert=true; issue #15, docs/interfaces.md §12) against a real node, with OpenSSL as
 * the independent sender: documents encrypted to the certificate the node publishes at
 * /forsendelse/publickey/hent are taken over REST v1 and SOAP V9 (inline base64 and MTOM),
 * delivered intact (the recipient's download and the print file), kept encrypted at rest,
 * and refused at once when they cannot be read; a key rotation keeps old letters readable.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import {
  basic,
  eventually,
  FNR,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { makeLetterPdf } from '../fixtures/index.js';
import { cxfMtomSendForsendelse, nodeSendForsendelse, type SoapFixture } from '../fixtures/soap/index.js';
import { encryptForNode, makeOpensslIdentity, opensslBuffer, publishedCertificate } from '../support/openssl.js';
import { textRuns } from '../unit/pdf/pdf-text.js';
import { faultstring, nodeClientReturns, post } from '../unit/soap/support/post.js';
import { addUser, loggedIn } from '../browser/support.js';
import { runCli } from './cli-support.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const KRYPTERT = { kryptert: true, kunDigitalLevering: false };

/** The fixture with `<kryptert>false</kryptert>` turned true (the recorded clients send false). */
function encrypted(fixture: SoapFixture): SoapFixture {
  const from = Buffer.from('<kryptert>false</kryptert>');
  const at = fixture.body.indexOf(from);
  assert.ok(at >= 0);
  const body = Buffer.concat([
    fixture.body.subarray(0, at),
    Buffer.from('<kryptert>true</kryptert>'),
    fixture.body.subarray(at + from.length),
  ]);
  return { ...fixture, body };
}

/** The text drawn on each page of a PDF: shows which document a page came from, and that it is intact. */
async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((p) =>
    textRuns(doc, p)
      .map((r) => r.text)
      .join('|'),
  );
}

describe('encrypted letters: CMS to the published certificate, both doors, at rest and refused', () => {
  let dir: string;
  let t: TestNode;
  let creds: Creds;
  let endpoint: string;
  let pdf: Uint8Array;
  let certificate: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-kryptert-'));
    const krr = {
      personer: [
        {
          personidentifikator: FNR[0],
          reservasjon: 'NEI',
          status: 'AKTIV',
          kontaktinformasjon: { epostadresse: 'kari@example.no', mobiltelefonnummer: '+4799887766' },
        },
      ],
    };
    await writeFile(join(dir, 'krr.json'), JSON.stringify(krr));
    t = await startTestNode({ KRR_FILE: join(dir, 'krr.json') }, join(dir, 'data'));
    creds = await t.sender('Kryptokommune');
    endpoint = `${t.url}/tjenester/forsendelseservice/ForsendelsesServiceV9`;
    pdf = await letterPdf();
    certificate = await publishedCertificate(t.url);
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const outbox = (): string => join(dir, 'data', 'outbox');
  /** The inbox link in the newest e-mail that mentions none of `seen`. */
  async function newInboxLink(seen: Set<string>): Promise<string> {
    return eventually(
      async () => {
        const files = (await readdir(outbox()).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));
        for (const f of files.filter((n) => !seen.has(n))) {
          const raw = (await readFile(join(outbox(), f), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
          const m = /(http:\/\/127\.0\.0\.1:\d+\/innboks\/[A-Za-z0-9_.-]+)/.exec(raw);
          if (m?.[1] !== undefined) return m[1];
        }
        return undefined;
      },
      15_000,
      'the notification e-mail',
    );
  }
  const emls = async (): Promise<Set<string>> => new Set(await readdir(outbox()).catch(() => [] as string[]));

  async function stateOf(id: string) {
    const state = await t.node.actors.state(id);
    assert.ok(state !== undefined);
    return state;
  }

  it('GET /forsendelse/publickey/hent: the installation certificate as PEM, the same on every call', async () => {
    const r = await fetch(`${t.url}/forsendelse/publickey/hent`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
    const pem = await r.text();
    assert.match(pem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    assert.equal(pem, certificate);
    const x509 = new X509Certificate(pem);
    assert.equal(x509.publicKey.asymmetricKeyType, 'rsa');
    assert.match(x509.subject, /CN=Budbringer/);
    const text = (await opensslBuffer(['x509', '-noout', '-text'], Buffer.from(pem))).toString();
    assert.match(text, /Key Encipherment/);
  });

  it('REST v1: accepted, the recipient downloads the exact PDF, the merged file holds its pages; stored encrypted', async () => {
    const seen = await emls();
    const cms = await encryptForNode(t.url, pdf);
    const r = await restSend(t.url, creds, restForsendelse(KRYPTERT), [{ filename: 'brev.pdf', bytes: cms }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const id = r.body.id as string;
    await waitForStatus(t.url, creds, id, 'VARSLET');
    const link = await newInboxLink(seen);

    const doc = await fetch(`${link}/dokumenter/0`);
    assert.equal(doc.status, 200);
    assert.equal(doc.headers.get('content-type'), 'application/pdf');
    const downloaded = new Uint8Array(await doc.arrayBuffer());
    assert.equal(sha(downloaded), sha(pdf), 'the decrypted PDF, byte for byte');
    // Decimal digits only: `Number()` once took these as document 0 too (a review, 6 December 2026).
    for (const odd of ['0e0', '0x0', '%200', '-0', '00']) {
      assert.equal((await fetch(`${link}/dokumenter/${odd}`)).status, 404, odd);
    }
    const ranged = await fetch(`${link}/dokumenter/0`, { headers: { range: 'bytes=100-199' } });
    assert.equal(ranged.status, 206);
    assert.deepEqual(new Uint8Array(await ranged.arrayBuffer()), pdf.subarray(100, 200));

    const fil = new Uint8Array(await (await fetch(`${link}/forsendelsesfil`)).arrayBuffer());
    const [, ...letterPages] = await pageTexts(fil);
    assert.deepEqual(letterPages, await pageTexts(pdf), 'cover page, then the decrypted letter');

    // At rest: the sender's envelope is the stored document, the merged file is encrypted too.
    const state = await stateOf(id);
    const stored = state.dokumenter[0];
    assert.equal(stored?.blob.sha256, sha(cms));
    assert.deepEqual(stored?.blob.cms, { plaintextSize: pdf.length, plaintextSha256: sha(pdf) });
    assert.equal(stored?.sider, 2);
    assert.equal(await t.node.storage.blobs.size(sha(pdf)), undefined, 'no plaintext copy of the document');
    assert.equal(await t.node.storage.blobs.size(sha(fil)), undefined, 'no plaintext copy of the merged file');
    const atRest = await t.node.storage.blobs.get(state.forsendelsesfil?.sha256 ?? '');
    assert.equal(atRest[0], 0x30, 'the merged file is stored as CMS');
    assert.equal(state.forsendelsesfil?.cms?.plaintextSize, fil.length);
    // The sender gets no download of the originals: they open only for the recipient.
    const meta = await restCall(t.url, creds, `/${id}/dokumentMetadata`);
    assert.equal(meta.status, 200);
    assert.equal(meta.body.dokumentMetadata[0].nedlasningsUrl, null);
    assert.equal((await restCall(t.url, creds, `/${id}/dokumenter/0`)).status, 404);
    await addUser(t, 'kryptoleser', 'admin');
    const admin = await loggedIn(t.url, 'kryptoleser');
    for (const path of ['dokumenter/0', 'forsendelsesfil']) {
      const refused = await admin.request(`/forvaltning/forsendelser/${id}/${path}`);
      assert.equal(refused.status, 403, `${path} of a letter not sent to print`);
    }
  });

  it('the same id again: the same PDF in a fresh envelope is a retry; another PDF of the same length is a conflict', async () => {
    // Found in review: envelopes were compared by size, so a correction of the same length
    // under the same id was answered 200 and lost.
    const id = randomUUID();
    const json = restForsendelse({ ...KRYPTERT, tittel: 'Kryptert på nytt' });
    const at = `/tjenester/api/forsendelse/v1/${id}/sendForsendelse`;
    const send = async (bytes: Uint8Array) =>
      restSend(t.url, creds, json, [{ filename: 'brev.pdf', bytes: await encryptForNode(t.url, bytes) }], at);
    // Two PDFs of one length, one byte other (after %%EOF, where readers allow a few).
    const letter = Uint8Array.from([...pdf, 0x20]);
    const correction = Uint8Array.from([...pdf, 0x0a]);
    const first = await send(letter);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const again = await send(letter);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.id, id);
    const changed = await send(correction);
    assert.equal(changed.status, 409, JSON.stringify(changed.body));
    assert.match(String(changed.body.message), /allerede mottatt med annet innhold/);
  });

  it('SOAP V9 inline base64 (OAEP-SHA256 key transport) and MTOM (BER streamed): accepted and merged', async () => {
    const inline = encrypted(
      nodeSendForsendelse({
        dokumenter: [
          {
            data: await encryptForNode(t.url, pdf, [
              '-keyopt',
              'rsa_padding_mode:oaep',
              '-keyopt',
              'rsa_oaep_md:sha256',
            ]),
            filnavn: 'a.pdf',
          },
        ],
      }),
    );
    const other = await makeLetterPdf({ seed: 5, pages: 3 });
    const mtom = encrypted(
      cxfMtomSendForsendelse([
        { data: await encryptForNode(t.url, pdf, ['-stream']), filnavn: 'a.pdf' },
        { data: await encryptForNode(t.url, other, ['-aes128']), filnavn: 'b.pdf' },
      ]),
    );
    for (const [fixture, pages] of [
      [inline, 2],
      [mtom, 5],
    ] as const) {
      const res = await post(endpoint, fixture, basic(creds));
      assert.equal(res.status, 200, res.text);
      const [id] = nodeClientReturns(res.text);
      const file = await eventually(
        async () => (await t.node.actors.state(id ?? ''))?.forsendelsesfil,
        15_000,
        'AKSEPTERT',
      );
      assert.equal(file.sider, 1 + pages, 'cover page and every decrypted page');
      assert.ok(file.cms !== undefined, 'kept encrypted');
    }
  });

  it('print: the print file holds the decrypted pages', async () => {
    const cms = await encryptForNode(t.url, pdf);
    const json = restForsendelse({
      ...KRYPTERT,
      mottaker: { postAdresse: { navn: 'Ola Papir', adresse1: 'Vei 2', postNummer: '3710', postSted: 'Skien' } },
    });
    const r = await restSend(t.url, creds, json, [{ filename: 'brev.pdf', bytes: cms }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const id = r.body.id as string;
    await waitForStatus(t.url, creds, id, 'SENDT_PRINT');
    const printed = await readFile(join(dir, 'data', 'print', `${id}.pdf`));
    const [, ...letterPages] = await pageTexts(printed);
    assert.deepEqual(letterPages, await pageTexts(pdf));

    // The admin web: the original stays the recipient's; the letter sent to print opens, decrypted.
    await addUser(t, 'kryptoadmin', 'admin');
    const admin = await loggedIn(t.url, 'kryptoadmin');
    const original = await admin.request(`/forvaltning/forsendelser/${id}/dokumenter/0`);
    assert.equal(original.status, 403);
    assert.match(original.text, /kan bare åpnes av mottakeren/);
    // The detail page names the original without a link that would answer 403 (a review, 6 December 2026).
    const page = await admin.request(`/forvaltning/forsendelser/${id}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, new RegExp(`href="[^"]*${id}/dokumenter/0"`));
    assert.match(page.text, new RegExp(`href="[^"]*${id}/printfil"`));
    // It went on paper at once, so its print copy is its one file (docs/architecture.md step 4).
    const merged = await admin.request(`/forvaltning/forsendelser/${id}/printfil`);
    assert.equal(merged.status, 200);
    const [, ...mergedPages] = await pageTexts(merged.bytes);
    assert.deepEqual(mergedPages, await pageTexts(pdf));
  });

  describe('refused at once with the reason, nothing stored', () => {
    const refusedRest = async (bytes: Uint8Array, pattern: RegExp, ref: string): Promise<void> => {
      const json = restForsendelse({ ...KRYPTERT, eksternReferanse: ref });
      const r = await restSend(t.url, creds, json, [{ filename: 'brev.pdf', bytes }]);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.errorcode, 'VALIDERINGSFEIL');
      assert.match(String(r.body.message), pattern);
      const ids = await restCall(t.url, creds, `/eksternref/${ref}`);
      assert.deepEqual(ids.body, { forsendelseIder: [] }, 'no letter was made');
    };

    it('encrypted to another certificate', async () => {
      const other = makeOpensslIdentity('/CN=Noen andre');
      try {
        const cms = await opensslBuffer(
          ['cms', '-encrypt', '-binary', '-aes256', '-outform', 'DER', '-recip', other.certPath],
          Buffer.from(pdf),
        );
        await refusedRest(
          cms,
          /^Ugyldig innhold i brev\.pdf: dokumentet er ikke kryptert til denne tjenestens sertifikat \(hent det fra \/forsendelse\/publickey\/hent\)$/,
          'feil-sertifikat',
        );
      } finally {
        other.cleanup();
      }
    });

    it('a truncated CMS message', async () => {
      const cms = await encryptForNode(t.url, pdf);
      await refusedRest(
        cms.subarray(0, cms.length - 300),
        /^Ugyldig innhold i brev\.pdf: den krypterte filen er ufullstendig/,
        'avkortet',
      );
    });

    it('garbage bytes, and a plain PDF, where CMS was promised', async () => {
      await refusedRest(
        Buffer.from('dette er ikke kryptert'.repeat(50)),
        /^Ugyldig innhold i brev\.pdf: dokumentet er ikke CMS EnvelopedData/,
        'soppel',
      );
      await refusedRest(pdf, /^Ugyldig innhold i brev\.pdf: dokumentet er ikke CMS EnvelopedData/, 'klartekst');
    });

    it('a signed .p7m (SignedData) and a plain data ContentInfo: CMS, but not an encryption', async () => {
      const signer = makeOpensslIdentity('/CN=Avsender');
      try {
        const signed = await opensslBuffer(
          [
            'cms',
            '-sign',
            '-binary',
            '-nodetach',
            '-outform',
            'DER',
            '-signer',
            signer.certPath,
            '-inkey',
            signer.keyPath,
          ],
          Buffer.from(pdf),
        );
        const notEncrypted =
          /^Ugyldig innhold i brev\.pdf: dokumentet er ikke CMS EnvelopedData, slik kryptert=true krever$/;
        await refusedRest(signed, notEncrypted, 'signert');
        const data = await opensslBuffer(['cms', '-data_create', '-binary', '-outform', 'DER'], Buffer.from(pdf));
        await refusedRest(data, notEncrypted, 'data');
      } finally {
        signer.cleanup();
      }
    });

    it('RSAES-OAEP with SHA-256 and MGF1-SHA-1: the refusal names the two hashes, not AES', async () => {
      const oaep = ['rsa_padding_mode:oaep', 'rsa_oaep_md:sha256', 'rsa_mgf1_md:sha1'].flatMap((o) => ['-keyopt', o]);
      await refusedRest(
        await encryptForNode(t.url, pdf, oaep),
        /^Ugyldig innhold i brev\.pdf: nøkkelen er kryptert med RSAES-OAEP med SHA-256 og MGF1 med SHA-1, som ikke støttes: bruk samme hash i begge/,
        'mgf1-sha1',
      );
    });

    it('an encrypted file that is not a PDF inside', async () => {
      const cms = await encryptForNode(t.url, Buffer.from('<html>ikke en pdf</html>'));
      await refusedRest(cms, /^Ugyldig innhold i brev\.pdf: ikke en lesbar PDF/, 'ikke-pdf');
    });

    it('over SOAP: a fault naming the document', async () => {
      const cms = await encryptForNode(t.url, Buffer.from('ikke pdf'));
      const res = await post(
        endpoint,
        encrypted(nodeSendForsendelse({ dokumenter: [{ data: cms.subarray(0, 200), filnavn: 'vedtak.pdf' }] })),
        basic(creds),
      );
      assert.equal(res.status, 500);
      assert.deepEqual(nodeClientReturns(res.text), []);
      assert.match(faultstring(res.text) ?? '', /Ugyldig innhold i vedtak\.pdf: den krypterte filen er ufullstendig/);
    });
  });

  it('key rotation (CLI): a new certificate is published, letters to the old and new keys are taken, old letters still open', async () => {
    const seen = await emls();
    const before = await encryptForNode(t.url, pdf);
    const first = await restSend(t.url, creds, restForsendelse(KRYPTERT), [{ filename: 'brev.pdf', bytes: before }]);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    await waitForStatus(t.url, creds, first.body.id as string, 'VARSLET');
    const link = await newInboxLink(seen);

    const rotated = await runCli(t.dataDir, ['key', 'rotate']);
    assert.equal(rotated.code, 0, rotated.stderr);
    const line = JSON.parse(rotated.stdout.trim()) as Record<string, unknown>;
    assert.equal(line.gjeldende, true);
    assert.ok(typeof line.nummer === 'number' && line.nummer > 1);
    const listed = await runCli(t.dataDir, ['key', 'list']);
    assert.equal(listed.stdout.trim().split('\n').length, line.nummer);

    const next = await eventually(
      async () => {
        const pem = await publishedCertificate(t.url);
        return pem === certificate ? undefined : pem;
      },
      20_000,
      'the new certificate',
    );
    const fingerprint = createHash('sha256').update(new X509Certificate(next).raw).digest('hex');
    assert.equal(line.sha256Fingeravtrykk, fingerprint);

    for (const cms of [await encryptForNode(t.url, pdf), before]) {
      const r = await restSend(t.url, creds, restForsendelse(KRYPTERT), [{ filename: 'brev.pdf', bytes: cms }]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      await waitForStatus(t.url, creds, r.body.id as string, ['VARSLET', 'LEST']);
    }
    const old = await fetch(`${link}/dokumenter/0`);
    assert.equal(
      sha(new Uint8Array(await old.arrayBuffer())),
      sha(pdf),
      'a letter from before the rotation still opens',
    );
  });
});

describe('encrypted letters: a key configured by CMS_CERT_FILE/CMS_KEY_FILE', () => {
  it('is published and decrypts; a mismatched pair stops the start; replacing the files keeps old letters readable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'budbringer-cms-fil-'));
    const first = makeOpensslIdentity('/CN=svarut.kommune.no', 1001);
    const second = makeOpensslIdentity('/CN=svarut.kommune.no', 1002);
    const dataDir = join(dir, 'data');
    try {
      const files = (id: typeof first) => ({ CMS_CERT_FILE: id.certPath, CMS_KEY_FILE: id.keyPath });
      await assert.rejects(
        startTestNode({ CMS_CERT_FILE: first.certPath, CMS_KEY_FILE: second.keyPath }, join(dir, 'feil')),
        /CMS_KEY_FILE hører ikke til sertifikatet i CMS_CERT_FILE/,
      );
      let t = await startTestNode(files(first), dataDir);
      const creds = await t.sender('Filnokkelkommune');
      let id: string;
      try {
        const published = await publishedCertificate(t.url);
        assert.ok(new X509Certificate(published).raw.equals(new X509Certificate(first.certificatePem).raw));
        const r = await restSend(t.url, creds, restForsendelse({ ...KRYPTERT, kunDigitalLevering: true }), [
          { filename: 'brev.pdf', bytes: await encryptForNode(t.url, await letterPdf()) },
        ]);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        id = r.body.id as string;
        await waitForStatus(t.url, creds, id, ['AKSEPTERT', 'VARSLET', 'IKKE_LEVERT']);
        const refused = await runCli(dataDir, ['key', 'rotate'], { env: files(first) });
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /roter ved å bytte filene/);
      } finally {
        await t.stop();
      }
      t = await startTestNode(files(second), dataDir);
      try {
        const published = await publishedCertificate(t.url);
        assert.ok(new X509Certificate(published).raw.equals(new X509Certificate(second.certificatePem).raw));
        // The letter stored under the first key: its merged file is CMS for that key (OpenSSL opens it).
        const state = await t.node.actors.state(id);
        const stored = await t.node.storage.blobs.get(state?.forsendelsesfil?.sha256 ?? '');
        const opened = await opensslBuffer(
          ['cms', '-decrypt', '-binary', '-inform', 'DER', '-inkey', first.keyPath],
          Buffer.from(stored),
        );
        const [, ...pages] = await pageTexts(opened);
        assert.deepEqual(pages, await pageTexts(await letterPdf()));
        // A sender still using the first certificate is served: the replaced key is kept for decryption.
        const late = await restSend(t.url, creds, restForsendelse({ ...KRYPTERT, kunDigitalLevering: true }), [
          {
            filename: 'brev.pdf',
            bytes: await opensslBuffer(
              ['cms', '-encrypt', '-binary', '-aes256', '-outform', 'DER', '-recip', first.certPath],
              Buffer.from(await letterPdf()),
            ),
          },
        ]);
        assert.equal(late.status, 200, JSON.stringify(late.body));
        const lateFile = await eventually(
          async () => (await t.node.actors.state(late.body.id as string))?.forsendelsesfil,
          15_000,
          'AKSEPTERT',
        );
        assert.equal(lateFile.sider, 3);
        const listed = await runCli(dataDir, ['key', 'list'], { env: files(second) });
        assert.equal(listed.stdout.trim().split('\n').length, 2, 'both keys kept');
      } finally {
        await t.stop();
      }
    } finally {
      first.cleanup();
      second.cleanup();
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    }
  });
});
