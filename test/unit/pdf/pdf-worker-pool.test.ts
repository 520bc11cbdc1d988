import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../../src/domain/errors.js';
import {
  composeForsendelsesfil,
  inspectPdf,
  PdfWorkStopped,
  startPdfWorkers,
  type ComposeInput,
  type DokumentRef,
  type PdfWorkers,
} from '../../../src/pdf/index.js';
import { makeEncryptedPdf, makeLetterPdf, makeNotPdf, makeZeroPagePdf } from '../../fixtures/index.js';

const ref: DokumentRef = { index: 1, filnavn: 'vedtak.pdf' };

/** What a call ended with, comparable across threads: the value, or the error's class, code, message and problems. */
async function outcome(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { value: await promise };
  } catch (e) {
    assert.ok(e instanceof Error);
    return {
      error: e.constructor.name,
      message: e.message,
      code: (e as ValidationError).code,
      problems: (e as ValidationError).problems,
    };
  }
}

describe('startPdfWorkers (PDF work on worker threads)', () => {
  let pdf: PdfWorkers;
  let letter: Uint8Array;
  let other: Uint8Array;
  before(async () => {
    // Every check goes to the thread here, however small the document.
    pdf = startPdfWorkers(1, { inlineInspectMaxBytes: 0 });
    [letter, other] = await Promise.all([
      makeLetterPdf({ seed: 4 }),
      makeLetterPdf({ seed: 6, pages: 3, title: 'Annet brev' }),
    ]);
  });
  after(() => pdf.close());

  it(
    'runs its thread at a lower CPU priority than the main thread (nice 10 higher, at most 19)',
    { skip: process.platform !== 'linux' && 'per-thread nice is Linux only' },
    async (t) => {
      await pdf.inspect(letter, ref);
      const nice = (tid: string): number => {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      };
      const main = nice(String(process.pid));
      if (main >= 19) {
        t.skip('this test process already runs at nice 19: no lower priority to give');
        return;
      }
      const niced = readdirSync('/proc/self/task').filter((tid) => nice(tid) === Math.min(19, main + 10));
      assert.equal(
        niced.length,
        1,
        `one thread (the PDF thread) at nice ${Math.min(19, main + 10)}, the main thread at ${main}`,
      );
    },
  );

  it('checks a PDF on a thread with the same result and the same ValidationError as inspectPdf', async () => {
    const cases = [
      letter,
      makeNotPdf(),
      new Uint8Array(0),
      letter.subarray(0, Math.floor(letter.length / 2)),
      makeEncryptedPdf(),
      makeZeroPagePdf(),
    ];
    for (const bytes of cases) {
      const onThread = await outcome(pdf.inspect(bytes, ref));
      assert.deepEqual(onThread, await outcome(inspectPdf(bytes, ref)));
    }
    const refused = await pdf.inspect(makeEncryptedPdf(), ref).catch((e: unknown) => e);
    assert.ok(refused instanceof ValidationError, 'a refusal is still a ValidationError (HTTP 400 / SOAP fault)');
    assert.deepEqual(refused.problems, [
      { field: 'dokumenter[1]', message: 'Ugyldig innhold i vedtak.pdf: dokumentet er kryptert/passordbeskyttet' },
    ]);
  });

  it('composes on a thread byte for byte as composeForsendelsesfil does, each answer to its own call', async () => {
    const forside = {
      avsender: {
        navn: 'Testkommune',
        adresselinjer: ['Rådhuset'],
        postnr: '1234',
        poststed: 'TESTBY',
        tekst: 'Forsidetekst.',
      },
      mottaker: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postnr: '0150', poststed: 'OSLO' },
      dato: Date.UTC(2025, 0, 2),
    };
    const inputs: ComposeInput[] = [
      {
        forside: { ...forside, tittel: 'Første' },
        documents: [{ bytes: letter, ekskluderesFraPrint: false }],
        variant: 'digital',
        tittel: 'Første',
      },
      {
        forside: { ...forside, tittel: 'Andre' },
        documents: [
          { bytes: letter, ekskluderesFraPrint: false },
          { bytes: other, ekskluderesFraPrint: true },
        ],
        variant: 'print',
        tosidig: true,
      },
      {
        forside: { ...forside, tittel: 'Tredje' },
        documents: [{ bytes: other, ekskluderesFraPrint: false }],
        variant: 'digital',
        tosidig: true,
      },
    ];
    // All at once: the thread takes them one by one, the answers must not be mixed up.
    const onThread = await Promise.all(inputs.map((input) => pdf.compose(input)));
    for (const [i, input] of inputs.entries()) {
      const inline = await composeForsendelsesfil(input);
      assert.equal(onThread[i]?.pages, inline.pages);
      assert.ok(onThread[i]?.bytes instanceof Uint8Array);
      assert.deepEqual(Buffer.from(onThread[i]!.bytes), Buffer.from(inline.bytes), `compose ${i}`);
    }
  });

  it('a compose that fails on a thread fails with the same message', async () => {
    const input: ComposeInput = {
      forside: letter,
      documents: [{ bytes: makeNotPdf(), ekskluderesFraPrint: false }],
      variant: 'digital',
    };
    const onThread = await outcome(pdf.compose(input));
    assert.deepEqual(onThread, await outcome(composeForsendelsesfil(input)));
    assert.equal((onThread as { error?: string }).error, 'Error');
  });

  it('after close, queued and new work is refused instead of left waiting', async () => {
    const own = startPdfWorkers(1);
    const input: ComposeInput = {
      forside: letter,
      documents: [{ bytes: letter, ekskluderesFraPrint: false }],
      variant: 'digital',
    };
    const queued = [own.compose(input), own.compose(input), own.compose(input)].map((p) =>
      p.then(
        () => 'done',
        (e: Error) => e.message,
      ),
    );
    await own.close();
    const outcomes = await Promise.all(queued);
    assert.ok(
      outcomes.every((o) => o === 'done' || o === 'PDF-arbeidstrådene er stoppet'),
      outcomes.join(', '),
    );
    assert.ok(outcomes.includes('PDF-arbeidstrådene er stoppet'), 'work still queued at close is refused');
    await assert.rejects(own.compose(input), /PDF-arbeidstrådene er stoppet/);
  });
});

describe('startPdfWorkers when a thread cannot start', () => {
  it('does the work on the calling thread instead of refusing it, and says so', async () => {
    const errors: Error[] = [];
    // 1 MB of heap is too little to load pdf-lib: the thread ends before it is ready.
    const pdf = startPdfWorkers(1, { maxHeapMb: 1, inlineInspectMaxBytes: 0, onThreadError: (e) => errors.push(e) });
    try {
      const letter = await makeLetterPdf({ seed: 7 });
      const input: ComposeInput = {
        forside: letter,
        documents: [{ bytes: letter, ekskluderesFraPrint: false }],
        variant: 'digital',
      };
      const first = await pdf.compose(input);
      assert.deepEqual(Buffer.from(first.bytes), Buffer.from((await composeForsendelsesfil(input)).bytes));
      assert.ok(
        errors.some((e) => /kunne ikke starte/.test(e.message)),
        errors.map((e) => e.message).join('; '),
      );
      assert.deepEqual(await pdf.inspect(letter, ref), { pages: 2 });
      assert.deepEqual(await outcome(pdf.inspect(makeNotPdf(), ref)), await outcome(inspectPdf(makeNotPdf(), ref)));
    } finally {
      await pdf.close();
    }
  });
});

describe('startPdfWorkers: a task over its time budget', () => {
  it("fails that task, replaces its thread, and runs the thread's other tasks again", async () => {
    const errors: Error[] = [];
    // Every compose is over a 1 ms budget; checks have a minute.
    const pdf = startPdfWorkers(1, {
      budget: { inspectMs: 60_000, composeMs: 1, perMbMs: 0 },
      onThreadError: (e) => errors.push(e),
    });
    try {
      const letter = await makeLetterPdf({ seed: 8 });
      const input: ComposeInput = {
        forside: letter,
        documents: [{ bytes: letter, ekskluderesFraPrint: false }],
        variant: 'digital',
      };
      // The check shares the thread with the compose that is stopped: it must still answer.
      const [composed, checked] = await Promise.all([outcome(pdf.compose(input)), outcome(pdf.inspect(letter, ref))]);
      assert.match(
        (composed as { message?: string }).message ?? '',
        /^PDF-arbeidet brukte mer enn 0 s og ble stoppet$/,
      );
      // The node's limit, not the document's fault: the compose job retries it and never
      // rejects the letter for it (found in review).
      assert.equal((composed as { error?: string }).error, PdfWorkStopped.name);
      assert.deepEqual(checked, { value: { pages: 2 } });
      assert.ok(
        errors.some((e) => /over tidsbudsjettet/.test(e.message)),
        errors.map((e) => e.message).join('; '),
      );
      // The replacement thread takes new work.
      assert.deepEqual(await pdf.inspect(makeZeroPagePdf(), ref).catch((e: ValidationError) => e.problems), [
        { field: 'dokumenter[1]', message: 'Ugyldig innhold i vedtak.pdf: PDF-en har ingen sider' },
      ]);
    } finally {
      await pdf.close();
    }
  });

  it("refuses a check over its budget as the document's problem, naming it", async () => {
    // A check that takes ~0.5 s against a budget of 40 ms: over it also on a loaded machine,
    // where a 2-page letter against 1 ms was once checked in time (the thread's "started" and
    // its answer reached a busy main thread together).
    const pdf = startPdfWorkers(1, { budget: { inspectMs: 40, composeMs: 60_000, perMbMs: 0 } });
    try {
      const refused = await pdf.inspect(pageHoldingTheThread(100_000), ref).catch((e: unknown) => e);
      assert.ok(refused instanceof ValidationError);
      assert.match(
        refused.problems[0]?.message ?? '',
        /^Ugyldig innhold i vedtak\.pdf: PDF-en er for kompleks til å kontrolleres \(kontrollen tok mer enn 0 s\)$/,
      );
    } finally {
      await pdf.close();
    }
  });

  it("counts a check's budget from when its thread takes it up: a valid letter waiting behind another letter's long compose is checked, not refused as too complex", async () => {
    const errors: Error[] = [];
    // Checks get 500 ms, composes a minute; the compose below holds the one thread for seconds.
    const pdf = startPdfWorkers(1, {
      budget: { inspectMs: 500, composeMs: 60_000, perMbMs: 0 },
      onThreadError: (e) => errors.push(e),
    });
    try {
      const letter = await makeLetterPdf({ seed: 11 });
      const slow = pageHoldingTheThread(1_000_000);
      // Warm the thread with a compose, so the check's own time is that of a started thread.
      await pdf.compose({
        forside: letter,
        documents: [{ bytes: letter, ekskluderesFraPrint: false }],
        variant: 'digital',
      });
      const started = performance.now();
      const [composed, checked] = await Promise.all([
        outcome(
          pdf.compose({
            forside: letter,
            documents: [{ bytes: slow, ekskluderesFraPrint: false }],
            variant: 'digital',
          }),
        ),
        outcome(pdf.inspect(letter, ref)),
      ]);
      const waited = performance.now() - started;
      assert.ok(waited > 500, `the compose held the thread for ${Math.round(waited)} ms, longer than a check's budget`);
      assert.deepEqual(checked, { value: { pages: 2 } }, 'the check waited behind the compose and was not refused');
      assert.equal((composed as { value?: { pages: number } }).value?.pages, 3);
      assert.deepEqual(
        errors.map((e) => e.message),
        [],
      );
    } finally {
      await pdf.close();
    }
  });

  it('terminates a thread once when many of its tasks are over budget together (each terminate() added an exit listener: Node warned of a leak)', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w);
    };
    process.on('warning', onWarning);
    // Each check takes ~0.5 s against a budget of 40 ms (see the test before).
    const pdf = startPdfWorkers(1, { budget: { inspectMs: 40, composeMs: 60_000, perMbMs: 0 } });
    try {
      const letter = pageHoldingTheThread(100_000);
      const refused = await Promise.all(
        Array.from({ length: 14 }, () => pdf.inspect(letter, ref).catch((e: unknown) => e)),
      );
      assert.ok(refused.every((e) => e instanceof ValidationError));
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(
        warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
        [],
      );
    } finally {
      process.off('warning', onWarning);
      await pdf.close();
    }
  });
});

/**
 * A valid 1-page PDF whose page carries `numbers` private numbers (/PieceInfo): pdf-lib reads,
 * copies and writes them without yielding, so composing it holds a thread for seconds.
 */
function pageHoldingTheThread(numbers: number): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /PieceInfo << /Budbringer << /Private [${'0 '.repeat(numbers)}] >> >> >>`,
    '<< /Length 28 >>\nstream\n0 0 1 rg 50 50 100 100 re f\nendstream',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const [i, body] of objects.entries()) {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  }
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
