/**
 * pdf-lib as Node runs it best, set once per process (thread) by importing this module; the
 * PDF modules that use pdf-lib import it first. Two of pdf-lib's browser-minded defaults
 * cost a compose more than its own work (bench/README.md, "Compose"):
 *
 * - **Yields.** pdf-lib yields to the event loop while it parses and saves (every 50 objects
 *   on save), with `setTimeout(0)`, which in Node waits at least a millisecond each time: a
 *   cover plus a two-page letter spent ~2 ms of its ~9 ms asleep, on a PDF thread that has
 *   other letters waiting. Here a yield is `setImmediate`: other work (an intake check sent
 *   to the same thread, a message) still gets its turn between slices, without the sleep.
 * - **Deflate.** pdf-lib compresses streams (fonts, page content) with pako, zlib written in
 *   JavaScript; here with Node's zlib (C): the same format and default level, ~0.7 ms less
 *   CPU per cover. The bytes differ from pako's but are as deterministic (equal input,
 *   equal bytes, for one Node version).
 *
 * Both replace a function on the module object pdf-lib's own code reads at each call (its
 * CommonJS build, which is what Node loads); nothing else uses them: pako's inflate (fontkit,
 * PNG decoding) is untouched. test/unit/pdf/pdf-lib-runtime.test.ts checks that they took.
 */
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';

const require = createRequire(import.meta.url);

interface PdfLibUtils {
  waitForTick: () => Promise<void>;
}
interface Pako {
  deflate: (data: Uint8Array) => Uint8Array;
}

/** Yields to the event loop without a timer: I/O and messages run, then the work goes on. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** zlib deflate at the default level, as pako.deflate(data) makes it. */
function nativeDeflate(data: Uint8Array): Uint8Array {
  const out = deflateSync(data);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

const pdfLibMain = require.resolve('pdf-lib');
// pdf-lib's parser and writers call `utils_1.waitForTick()` on this module's exports.
const utils = require(require.resolve('pdf-lib/cjs/utils', { paths: [pdfLibMain] })) as PdfLibUtils;
// The pako pdf-lib itself resolves (PDFContext.flateStream, PDFFlateStream).
const pako = require(require.resolve('pako', { paths: [pdfLibMain] })) as Pako;

utils.waitForTick = nextTurn;
pako.deflate = nativeDeflate;

/** True once pdf-lib in this thread yields with setImmediate and deflates with Node's zlib (for the test). */
export function pdfLibRuntimeApplied(): boolean {
  return utils.waitForTick === nextTurn && pako.deflate === nativeDeflate;
}
