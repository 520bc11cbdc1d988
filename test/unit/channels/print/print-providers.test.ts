import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  FiledropPrintProvider,
  ManualPrintProvider,
  PrintError,
  type PrintJob,
} from '../../../../src/channels/print/index.js';
import { DurableFileWriter } from '../../../../src/storage/files/durable-file-writer.js';

/** A print job for `id` with `pdf` bytes and a complete manifest. */
function job(
  id: string,
  pdf: Uint8Array = new TextEncoder().encode('%PDF-1.7\n%test\n%%EOF\n'),
  createdAt = 1_700_000_000_000,
): PrintJob {
  return {
    forsendelseId: id,
    pdf,
    manifest: {
      forsendelseId: id,
      avsender: 'bo-kommune',
      mottaker: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postnr: '3800', poststed: 'BØ I TELEMARK' },
      tosidig: true,
      fargePrint: false,
      brevtype: 'BPOST',
      konteringskode: 'K-123',
      sider: 4,
      dokumenter: [
        { filnavn: 'vedtak.pdf', sider: 2, forsteSide: 3, giroarkSider: [] },
        { filnavn: 'vedlegg.pdf', sider: 1, forsteSide: 5, giroarkSider: [5] },
      ],
      giroarkSider: [5],
      createdAt,
    },
  };
}

// Every case for both ways of writing: through libuv's pool, and on a writer thread (the node's).
for (const way of ['through libuv', 'on a writer thread'] as const) {
  void describe(`FiledropPrintProvider, ${way}`, () => {
    let writer: DurableFileWriter | undefined;
    let root: string;
    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'budbringer-print-'));
      writer = way === 'on a writer thread' ? new DurableFileWriter(1) : undefined;
    });
    after(async () => {
      await writer?.close();
      await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    });

    void it('writes <id>.pdf and <id>.json with the exact bytes and manifest, and nothing else', async () => {
      const dir = join(root, 'drop-1', 'print'); // created on demand
      const id = randomUUID();
      const j = job(id);
      await new FiledropPrintProvider(dir, writer).submit(j);
      assert.deepEqual((await readdir(dir)).sort(), [`${id}.json`, `${id}.pdf`]);
      assert.deepEqual(new Uint8Array(await readFile(join(dir, `${id}.pdf`))), j.pdf);
      assert.deepEqual(JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')), j.manifest);
    });

    void it('given a repeat, then nothing is rewritten: the manifest the provider may be reading stays', async () => {
      const dir = join(root, 'drop-2');
      const id = randomUUID();
      const provider = new FiledropPrintProvider(dir, writer);
      await provider.submit(job(id));
      const first = await stat(join(dir, `${id}.json`));
      await provider.submit(job(id, randomBytes(64), 1_800_000_000_000));
      const again = await stat(join(dir, `${id}.json`));
      assert.equal(again.ino, first.ino);
      assert.equal(JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')).createdAt, 1_700_000_000_000);
      assert.deepEqual((await readdir(dir)).sort(), [`${id}.json`, `${id}.pdf`]);
    });

    void it('given a crash left only the PDF, then a retry replaces it and adds the manifest', async () => {
      const dir = join(root, 'drop-3');
      const id = randomUUID();
      const provider = new FiledropPrintProvider(dir, writer);
      await provider.submit(job(randomUUID())); // another letter in the same directory ('a' + id.slice(1) was this one when id began with 'a')
      await writeFile(join(dir, `${id}.pdf`), 'half a pdf');
      const j = job(id);
      await provider.submit(j);
      assert.deepEqual(new Uint8Array(await readFile(join(dir, `${id}.pdf`))), j.pdf);
      assert.equal(JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')).forsendelseId, id);
    });

    void it('a provider polling for *.json always finds the whole PDF beside it', async () => {
      const dir = join(root, 'drop-4');
      const provider = new FiledropPrintProvider(dir, writer);
      const jobs = Array.from({ length: 12 }, () =>
        job(randomUUID(), randomBytes(1_000_000 + Math.floor(Math.random() * 1000))),
      );
      const sizes = new Map(jobs.map((j) => [j.forsendelseId, j.pdf.byteLength]));
      const checked = new Set<string>();
      let done = false;
      // The poller runs until the drops are done and once more after, as a provider would.
      const poll = async () => {
        for (;;) {
          const finished = done;
          const names = await readdir(dir).catch(() => [] as string[]);
          for (const name of names.filter((n) => n.endsWith('.json'))) {
            const id = name.slice(0, -'.json'.length);
            if (checked.has(id)) continue;
            const pdf = await readFile(join(dir, `${id}.pdf`));
            assert.equal(pdf.byteLength, sizes.get(id), `PDF of ${id} incomplete when its manifest appeared`);
            checked.add(id);
          }
          if (finished) return;
          await new Promise((r) => setImmediate(r));
        }
      };
      const poller = poll();
      await Promise.all(jobs.map((j) => provider.submit(j)));
      done = true;
      await poller;
      assert.equal(checked.size, jobs.length);
      assert.ok(
        (await readdir(dir)).every((n) => !n.endsWith('.tmp')),
        'no temp files left',
      );
    });

    void it('given an id that could leave the directory, then a permanent PrintError and no file', async () => {
      const dir = join(root, 'drop-5');
      const provider = new FiledropPrintProvider(dir, writer);
      for (const id of ['../evil', 'a/b', '', '.hidden', 'x'.repeat(200)]) {
        await assert.rejects(provider.submit(job(id)), (err: unknown) => {
          assert.ok(err instanceof PrintError);
          assert.equal(err.retryable, false);
          assert.equal(err.code, 'PRINT_FEILET');
          assert.match(err.message, /Ugyldig forsendelse-id for print/);
          return true;
        });
      }
      await assert.rejects(stat(dir), /ENOENT/);
    });

    void it('given a manifest for another forsendelse, then a permanent PrintError', async () => {
      const j = job(randomUUID());
      await assert.rejects(
        new FiledropPrintProvider(join(root, 'drop-6'), writer).submit({ ...j, forsendelseId: randomUUID() }),
        (err: unknown) => err instanceof PrintError && !err.retryable && /annen forsendelse/.test(err.message),
      );
    });

    void it('given a print directory that cannot be created, then a retryable PrintError naming it', async () => {
      const blocker = join(root, 'not-a-dir');
      await writeFile(blocker, 'x');
      const dir = join(blocker, 'print');
      await assert.rejects(new FiledropPrintProvider(dir, writer).submit(job(randomUUID())), (err: unknown) => {
        assert.ok(err instanceof PrintError);
        assert.equal(err.retryable, true);
        assert.ok(err.message.startsWith(`Kunne ikke legge forsendelsen i printkatalogen ${dir}:`), err.message);
        return true;
      });
    });
  });
}

void describe('ManualPrintProvider', () => {
  void it('accepts any job at once and repeatedly: the letter waits in the admin web queue', async () => {
    const provider = new ManualPrintProvider();
    const j = job(randomUUID());
    assert.equal(await provider.submit(j), undefined);
    assert.equal(await provider.submit(j), undefined);
  });
});
