/** parseMultipartForm against a real FileBlobStore: small files are kept in memory too, large ones stream. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { BadRequestError, PayloadTooLargeError } from '../../../src/domain/errors.js';
import { parseMultipartForm } from '../../../src/http/rest/multipart-form.js';
import { InMemoryBudget, UploadMemoryPool } from '../../../src/http/store-upload.js';
import { FileBlobStore } from '../../../src/storage/files/index.js';

const BOUNDARY = 'grense-1234';

function form(files: readonly { name: string; filename: string; bytes: Buffer }[]): Buffer {
  const parts: Buffer[] = [
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="forsendelse"\r\nContent-Type: application/json\r\n\r\n{"tittel":"t"}\r\n`,
    ),
  ];
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

/** The body in 16 KiB pieces, as a socket delivers it. */
function chunked(body: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < body.length; at += 16 * 1024) yield body.subarray(at, at + 16 * 1024);
    })(),
  );
}

describe('parseMultipartForm', () => {
  let dir: string;
  let blobs: FileBlobStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-multipart-'));
    blobs = new FileBlobStore(dir);
  });
  after(async () => {
    await blobs.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every file; a small one also comes back as its bytes, a large one (over 1 MiB) only as a stored blob', async () => {
    const small = Buffer.alloc(56 * 1024, 7);
    const large = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < large.length; i++) large[i] = (i * 31) & 0xff;
    const parsed = await parseMultipartForm(
      chunked(
        form([
          { name: 'a', filename: 'brev.pdf', bytes: small },
          { name: 'b', filename: 'vedlegg.pdf', bytes: large },
        ]),
      ),
      `multipart/form-data; boundary=${BOUNDARY}`,
      blobs,
      { maxFileBytes: 10 * 1024 * 1024, maxFieldBytes: 1024, maxParts: 10 },
      new InMemoryBudget(),
    );
    assert.equal(parsed.fields.get('forsendelse'), '{"tittel":"t"}');
    const [a, b] = parsed.files;
    assert.ok(a !== undefined && b !== undefined);
    assert.deepEqual(a.blob, { sha256: createHash('sha256').update(small).digest('hex'), size: small.length });
    assert.deepEqual(Buffer.from(a.bytes ?? []), small, 'the small file is handed on in memory');
    assert.deepEqual(b.blob, { sha256: createHash('sha256').update(large).digest('hex'), size: large.length });
    assert.equal(b.bytes, undefined, 'the large file is not held in memory');
    assert.deepEqual(Buffer.from(await blobs.get(a.blob.sha256)), small);
    assert.deepEqual(Buffer.from(await blobs.get(b.blob.sha256)), large);
  });

  for (const [what, size, limit] of [
    ['a small file (gathered in memory)', 200 * 1024, 100 * 1024],
    ['a large file (streamed)', 3 * 1024 * 1024, 2 * 1024 * 1024],
  ] as const) {
    it(`refuses ${what} over maxFileBytes as too large and stores nothing of it`, async () => {
      const own = await mkdtemp(join(tmpdir(), 'budbringer-multipart-limit-'));
      const store = new FileBlobStore(own);
      try {
        const bytes = Buffer.alloc(size, 9);
        const parsing = parseMultipartForm(
          chunked(form([{ name: 'a', filename: 'stor.pdf', bytes }])),
          `multipart/form-data; boundary=${BOUNDARY}`,
          store,
          {
            maxFileBytes: limit,
            maxFieldBytes: 1024,
            maxParts: 10,
          },
          new InMemoryBudget(),
        );
        await assert.rejects(parsing, (e: Error) => e instanceof PayloadTooLargeError && /stor\.pdf/.test(e.message));
        // A put still under way when the form failed ends too; give it a moment, then look.
        await new Promise((r) => setTimeout(r, 200));
        const left = (await readdir(own, { recursive: true })).filter(
          (p) => !['tmp', 'index.sqlite', 'index.sqlite-wal', 'index.sqlite-shm'].includes(p),
        );
        assert.deepEqual(left, [], 'no blob of the cut file');
        assert.deepEqual(await readdir(join(own, 'tmp')).catch(() => []), [], 'no temp file');
      } finally {
        await store.close();
        await rm(own, { recursive: true, force: true });
      }
    });
  }

  it('refuses a part with a Content-Transfer-Encoding other than 7bit, 8bit or binary, naming it (base64 was stored still encoded)', async () => {
    const limits = { maxFileBytes: 1024, maxFieldBytes: 1024, maxParts: 10 };
    const body = (part: string): Buffer =>
      Buffer.concat([
        form([]).subarray(0, -`--${BOUNDARY}--\r\n`.length),
        Buffer.from(part),
        Buffer.from(`--${BOUNDARY}--\r\n`),
      ]);
    for (const [cte, part] of [
      ['base64', 'Content-Disposition: form-data; name="filer"; filename="a.txt"\r\nContent-Type: text/plain'],
      [
        'quoted-printable',
        'Content-Disposition: form-data; name="filer"; filename="a.txt"\r\nContent-Type: text/plain',
      ],
      ['base64', 'Content-Disposition: form-data; name="notat"'],
    ] as const) {
      const text = `--${BOUNDARY}\r\n${part}\r\nContent-Transfer-Encoding: ${cte}\r\n\r\nSGVpLCBkZXR0ZSBlciBldCB2ZWRsZWdnLgo=\r\n`;
      await assert.rejects(
        parseMultipartForm(
          chunked(body(text)),
          `multipart/form-data; boundary=${BOUNDARY}`,
          blobs,
          limits,
          new InMemoryBudget(),
        ),
        (e: Error) => e instanceof BadRequestError && new RegExp(`Content-Transfer-Encoding «${cte}»`).test(e.message),
        `${cte}: ${part}`,
      );
    }
    const binary = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="filer"; filename="a.txt"\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: Binary\r\n\r\nHei\r\n`;
    const taken = await parseMultipartForm(
      chunked(body(binary)),
      `multipart/form-data; boundary=${BOUNDARY}`,
      blobs,
      limits,
      new InMemoryBudget(),
    );
    assert.equal(taken.files.length, 1);
  });

  it('refuses a second forsendelse part, as a field or as a JSON file part, naming the part', async () => {
    const twice = (second: string): Buffer =>
      Buffer.concat([
        form([]).subarray(0, -`--${BOUNDARY}--\r\n`.length),
        Buffer.from(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="forsendelse"${second}\r\n\r\n{"tittel":"to"}\r\n`,
        ),
        Buffer.from(`--${BOUNDARY}--\r\n`),
      ]);
    for (const second of [
      '\r\nContent-Type: application/json',
      '; filename="f.json"\r\nContent-Type: application/json',
      '',
    ]) {
      await assert.rejects(
        parseMultipartForm(
          chunked(twice(second)),
          `multipart/form-data; boundary=${BOUNDARY}`,
          blobs,
          {
            maxFileBytes: 1024,
            maxFieldBytes: 1024,
            maxParts: 10,
          },
          new InMemoryBudget(),
        ),
        (e: Error) => e instanceof BadRequestError && /delen «forsendelse» er sendt mer enn én gang/.test(e.message),
        second,
      );
    }
    const once = await parseMultipartForm(
      chunked(form([])),
      `multipart/form-data; boundary=${BOUNDARY}`,
      blobs,
      {
        maxFileBytes: 1024,
        maxFieldBytes: 1024,
        maxParts: 10,
      },
      new InMemoryBudget(),
    );
    assert.equal(once.fields.get('forsendelse'), '{"tittel":"t"}');
  });

  it('refuses a part the parser would skip (no Content-Disposition, not form-data, an unreadable filename*): a file must not be dropped with a 200', async () => {
    const limits = { maxFileBytes: 1 << 20, maxFieldBytes: 1024, maxParts: 10 };
    const withPart = (headers: string): Buffer =>
      Buffer.concat([
        form([{ name: 'filer', filename: 'vedtak.pdf', bytes: Buffer.from('%PDF-1.7 vedtak') }]).subarray(
          0,
          -`--${BOUNDARY}--\r\n`.length,
        ),
        Buffer.from(`--${BOUNDARY}\r\n${headers}\r\n\r\n%PDF-1.7 vedlegg\r\n--${BOUNDARY}--\r\n`),
      ]);
    for (const headers of [
      'Content-Disposition: attachment; name="filer"; filename="vedlegg.pdf"\r\nContent-Type: application/pdf',
      'Content-Type: application/pdf',
      `Content-Disposition: form-data; name="filer"; filename*=UTF-8''vedt%ZZak.pdf`,
    ]) {
      // In pieces of every size, so a delimiter split across two pieces is counted too.
      for (const piece of [1, 7, 16 * 1024]) {
        const body = withPart(headers);
        const pieces = Readable.from(
          (function* () {
            for (let at = 0; at < body.length; at += piece) yield body.subarray(at, at + piece);
          })(),
        );
        await assert.rejects(
          parseMultipartForm(
            pieces,
            `multipart/form-data; boundary="${BOUNDARY}"`,
            blobs,
            limits,
            new InMemoryBudget(),
          ),
          (e: Error) =>
            e instanceof BadRequestError &&
            /én del uten lesbar «Content-Disposition: form-data; name=…»/.test(e.message),
          `${headers} in pieces of ${piece}`,
        );
      }
    }
    // The same file as a proper part is taken, in pieces of one byte too, also when an
    // epilogue after the closing delimiter holds delimiters (readers ignore it; RFC 2046 §5.1.1).
    const good = Buffer.concat([
      withPart('Content-Disposition: form-data; name="filer"; filename="vedlegg.pdf"'),
      Buffer.from(`epilog\r\n--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${BOUNDARY}--\r\n`),
    ]);
    const parsed = await parseMultipartForm(
      Readable.from(
        (function* () {
          for (const b of good) yield Buffer.from([b]);
        })(),
      ),
      `multipart/form-data; boundary=${BOUNDARY}`,
      blobs,
      limits,
      new InMemoryBudget(),
    );
    assert.deepEqual(
      parsed.files.map((f) => f.filename),
      ['vedtak.pdf', 'vedlegg.pdf'],
    );
  });

  it('refuses a part whose headers read two ways (a header or a disposition parameter sent twice: busboy takes the first, another reader the last), and takes what only looks alike', async () => {
    const limits = { maxFileBytes: 1 << 20, maxFieldBytes: 1024, maxParts: 10 };
    const withPart = (headers: string, content = '%PDF-1.7 vedlegg'): Buffer =>
      Buffer.concat([
        form([{ name: 'filer', filename: 'vedtak.pdf', bytes: Buffer.from('%PDF-1.7 vedtak') }]).subarray(
          0,
          -`--${BOUNDARY}--\r\n`.length,
        ),
        Buffer.from(`--${BOUNDARY}\r\n${headers}\r\n\r\n${content}\r\n--${BOUNDARY}--\r\n`),
      ]);
    const inPieces = (body: Buffer, piece: number): Readable =>
      Readable.from(
        (function* () {
          for (let at = 0; at < body.length; at += piece) yield body.subarray(at, at + piece);
        })(),
      );
    const parse = (body: Buffer, piece: number) =>
      parseMultipartForm(
        inPieces(body, piece),
        `multipart/form-data; boundary=${BOUNDARY}`,
        blobs,
        limits,
        new InMemoryBudget(),
      );
    for (const [headers, named] of [
      [
        'Content-Disposition: form-data; name="filer"; filename="vedlegg.pdf"\r\ncontent-disposition: form-data; name="filer"; filename="annet.pdf"',
        /en del har «content-disposition» mer enn én gang/,
      ],
      [
        'Content-Disposition: form-data; name="filer"; filename="vedlegg.pdf"; FILENAME="annet.pdf"',
        /parameteren «FILENAME» mer enn én gang/,
      ],
      [
        'Content-Disposition: form-data; name="filer"; name="forsendelse"; filename="vedlegg.pdf"',
        /parameteren «name» mer enn én gang/,
      ],
      [
        'Content-Disposition: form-data; name="filer";\r\n filename="vedlegg.pdf"; filename=annet.pdf',
        /parameteren «filename» mer enn én gang/,
      ],
      [
        'Content-Disposition: form-data; name="filer"; filename="vedlegg.pdf"\r\nContent-Type: application/pdf\r\nContent-Type: text/html',
        /en del har «Content-Type» mer enn én gang/,
      ],
    ] as const) {
      for (const piece of [1, 7, 16 * 1024]) {
        await assert.rejects(
          parse(withPart(headers), piece),
          (e: Error) => e instanceof BadRequestError && named.test(e.message) && /to måter/.test(e.message),
          `${headers} in pieces of ${piece}`,
        );
      }
    }
    // A delimiter among a part's header lines (busboy reads it as a header's value): a fake
    // closing one there hid the headers after it from the check, when sent as its own piece
    // (found in review).
    const fake = [
      `--${BOUNDARY}\r\nX-Pad: a\r\n--${BOUNDARY}--z\r\n`,
      `Content-Disposition: form-data; name="filer"; filename="vedlegg.pdf"\r\nContent-Disposition: form-data; name="filer"; filename="annet.exe"\r\n\r\n%PDF-1.7 x\r\n--${BOUNDARY}--\r\n`,
    ].map((p) => Buffer.from(p));
    for (const pieces of [fake, [Buffer.concat(fake)]]) {
      await assert.rejects(
        parseMultipartForm(
          Readable.from(pieces),
          `multipart/form-data; boundary=${BOUNDARY}`,
          blobs,
          limits,
          new InMemoryBudget(),
        ),
        (e: Error) => e instanceof BadRequestError && /grensen \(boundary\) blant hodelinjene|to måter/.test(e.message),
        `in ${pieces.length} piece(s)`,
      );
    }
    // filename and filename* together are one name twice over (RFC 6266 §4.3); a quoted value may
    // hold «; name=»; and a file's content is not its headers.
    const alike = withPart(
      `Content-Disposition: form-data; name="filer"; filename="vedlegg; filename=x.pdf"; filename*=UTF-8''vedlegg.pdf`,
      '%PDF-1.7\r\nContent-Type: a\r\nContent-Type: b\r\n\r\n',
    );
    for (const piece of [1, 7, 16 * 1024]) {
      const parsed = await parse(alike, piece);
      assert.deepEqual(
        parsed.files.map((f) => f.filename),
        ['vedtak.pdf', 'vedlegg.pdf'],
        `in pieces of ${piece}`,
      );
    }
  });

  it('refuses a text part in a charset it cannot read with 400 naming the part (was a TypeError and 500)', async () => {
    for (const charset of ['bogus', 'utf-7']) {
      const body = Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="forsendelse"\r\n` +
          `Content-Type: application/json; charset=${charset}\r\n\r\n{"tittel":"t"}\r\n--${BOUNDARY}--\r\n`,
      );
      await assert.rejects(
        parseMultipartForm(
          chunked(body),
          `multipart/form-data; boundary=${BOUNDARY}`,
          blobs,
          { maxFileBytes: 1024, maxFieldBytes: 1024, maxParts: 10 },
          new InMemoryBudget(),
        ),
        (e: Error) =>
          e instanceof BadRequestError && /Delen «forsendelse» har et tegnsett som ikke kan leses/.test(e.message),
        charset,
      );
    }
  });

  it('holds at most 8 MiB of one form in memory: after that, small parts stream too', async () => {
    const parts = Array.from({ length: 12 }, (_, i) => ({
      name: `f${i}`,
      filename: `del${i}.pdf`,
      bytes: Buffer.alloc(900 * 1024, i + 1),
    }));
    const parsed = await parseMultipartForm(
      chunked(form(parts)),
      `multipart/form-data; boundary=${BOUNDARY}`,
      blobs,
      {
        maxFileBytes: 20 * 1024 * 1024, // the files together
        maxFieldBytes: 1024,
        maxParts: 20,
      },
      new InMemoryBudget(),
    );
    assert.deepEqual(
      parsed.files.map((f) => f.bytes !== undefined),
      [...Array<boolean>(9).fill(true), false, false, false],
    );
    for (const [i, f] of parsed.files.entries())
      assert.deepEqual(Buffer.from(await blobs.get(f.blob.sha256)), parts[i]?.bytes);
  });

  it('holds at most the process-wide pool in memory across requests: a form that finds it spent streams its files, stored the same', async () => {
    const pool = new UploadMemoryPool(2 * 1024 * 1024);
    const parts = (seed: number) =>
      Array.from({ length: 3 }, (_, i) => ({
        name: `f${i}`,
        filename: `del${i}.pdf`,
        bytes: Buffer.alloc(900 * 1024, seed + i),
      }));
    const limits = { maxFileBytes: 20 * 1024 * 1024, maxFieldBytes: 1024, maxParts: 20 };
    const parse = (files: ReturnType<typeof parts>, budget: InMemoryBudget) =>
      parseMultipartForm(chunked(form(files)), `multipart/form-data; boundary=${BOUNDARY}`, blobs, limits, budget);
    // The first request (not answered yet) holds two files in memory; the third does not fit.
    const first = new InMemoryBudget(pool);
    const firstParts = parts(1);
    const a = await parse(firstParts, first);
    assert.deepEqual(
      a.files.map((f) => f.bytes !== undefined),
      [true, true, false],
    );
    assert.equal(pool.held, 2 * 900 * 1024);
    // A second request meanwhile finds the pool spent: all its files stream.
    const second = new InMemoryBudget(pool);
    const secondParts = parts(7);
    const b = await parse(secondParts, second);
    assert.deepEqual(
      b.files.map((f) => f.bytes !== undefined),
      [false, false, false],
    );
    for (const [files, parsed] of [
      [firstParts, a],
      [secondParts, b],
    ] as const)
      for (const [i, f] of parsed.files.entries())
        assert.deepEqual(Buffer.from(await blobs.get(f.blob.sha256)), files[i]?.bytes);
    // Answered: what they held goes back (twice is harmless), and the next request has room again.
    first.release();
    first.release();
    second.release();
    assert.equal(pool.held, 0);
    const third = new InMemoryBudget(pool);
    const c = await parse(parts(3), third);
    assert.deepEqual(
      c.files.map((f) => f.bytes !== undefined),
      [true, true, false],
    );
    third.release();
    assert.equal(pool.held, 0);
  });

  it('gives back what a refused form took: the pool is whole after a failed parse', async () => {
    const pool = new UploadMemoryPool(4 * 1024 * 1024);
    const budget = new InMemoryBudget(pool);
    await assert.rejects(
      parseMultipartForm(
        chunked(form([{ name: 'a', filename: 'stor.pdf', bytes: Buffer.alloc(600 * 1024, 3) }])),
        `multipart/form-data; boundary=${BOUNDARY}`,
        blobs,
        { maxFileBytes: 500 * 1024, maxFieldBytes: 1024, maxParts: 10 },
        budget,
      ),
      PayloadTooLargeError,
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(pool.held, 0, 'the cut file holds nothing');
    budget.release();
    assert.equal(pool.held, 0);
  });
});
