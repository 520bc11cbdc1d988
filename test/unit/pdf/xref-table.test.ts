/**
 * The cross-reference chain read lazily (xref-table.ts): an object that only an older section
 * (/Prev) names is found on the first lookup, without anything loading the chain first. It was
 * not: the lookup loaded the next section and then skipped it, which the intake check hid by
 * asking for /Encrypt (which loads the whole chain) before any lookup.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { byteSourceFromBytes } from '../../../src/pdf/index.js';
import { openXrefChain } from '../../../src/pdf/xref-table.js';
import { buildRawPdf } from '../../fixtures/index.js';

/** `base` with an incremental update that redefines object 2 only. */
function updated(base: Uint8Array): { bytes: Uint8Array; startxref: number } {
  const text = Buffer.from(base).toString('latin1');
  const prev = Number(/startxref\s+(\d+)/.exec(text)![1]);
  const object = '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n';
  const xref = text.length + object.length;
  const update =
    object +
    `xref\n0 1\n0000000000 65535 f\r\n2 1\n${String(text.length).padStart(10, '0')} 00000 n\r\n` +
    `trailer\n<< /Size 4 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${xref}\n%%EOF\n`;
  return { bytes: new Uint8Array(Buffer.from(text + update, 'latin1')), startxref: xref };
}

void it('finds an object named only by an older section on the first lookup', async () => {
  const base = buildRawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ]);
  const { bytes, startxref } = updated(base);
  const offset = Buffer.from(bytes).indexOf('3 0 obj');
  const table = await openXrefChain(byteSourceFromBytes(bytes), startxref);
  assert.deepEqual(await table.entry(3), { type: 'offset', offset });
  assert.deepEqual(await table.entry(2), { type: 'offset', offset: base.length }, 'the update wins for object 2');
  assert.equal(await table.entry(9), undefined, 'an object no section names');
});
