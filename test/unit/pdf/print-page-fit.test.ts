/**
 * What the `cm` that fits a print page onto A4 does not move by itself, and print-page-fit.ts
 * moves with it: patterns, shared appearance streams, the points of annotations (found in
 * review). The page's placement itself is tested in compose.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  type PDFObject,
} from 'pdf-lib';
import { composeForsendelsesfil } from '../../../src/pdf/compose.js';
import { times, type Matrix } from '../../../src/pdf/print-fit-matrix.js';
import { FIT_PATTERN_BYTES, FIT_PATTERN_COPIES } from '../../../src/pdf/print-fit-patterns.js';

const A4W = 595.28;
const A4H = 841.89;
/** A landscape A4 page turned a quarter counter-clockwise onto the sheet: (x, y) → (A4W − y, x). */
const LANDSCAPE: Matrix = [0, 1, -1, 0, A4W, 0];
/** An A3 page shrunk onto the sheet, centred. */
const A3_SCALE = A4W / 841.89;
const A3: Matrix = [A3_SCALE, 0, 0, A3_SCALE, 0, (A4H - 1190.55 * A3_SCALE) / 2];

/** The print copy of `source`: a cover page, then its pages fitted onto A4 (page i of `source` is page i + 1). */
async function printed(source: PDFDocument): Promise<PDFDocument> {
  const cover = await PDFDocument.create();
  cover.addPage([A4W, A4H]);
  const { bytes } = await composeForsendelsesfil({
    forside: await cover.save(),
    documents: [{ bytes: await source.save(), ekskluderesFraPrint: false, sider: source.getPageCount() }],
    variant: 'print',
  });
  return PDFDocument.load(bytes);
}

/** The numbers in `array`, or undefined where there is no array. */
function numbers(doc: PDFDocument, array: unknown): number[] | undefined {
  if (!(array instanceof PDFArray)) return undefined;
  return array.asArray().map((v) => (doc.context.lookup(v) as PDFNumber).asNumber());
}

function near(actual: number[] | undefined, expected: readonly number[], what: string): void {
  const ok = actual?.length === expected.length && actual.every((v, i) => Math.abs(v - expected[i]!) < 0.01);
  assert.ok(ok, `${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

describe('the print copy on A4 portrait moves with the page', () => {
  it('pattern fills: each fitted page has its own patterns, their /Matrix times the fit; an A4 page keeps them', async () => {
    const doc = await PDFDocument.create();
    const { context } = doc;
    // A gradient (shading pattern) and a tiling pattern of stripes, as Chrome and Cairo write them.
    const gradient = context.register(
      context.obj({
        Type: 'Pattern',
        PatternType: 2,
        Shading: {
          ShadingType: 2,
          ColorSpace: 'DeviceRGB',
          Coords: [100, 0, 500, 0],
          Function: { FunctionType: 2, Domain: [0, 1], C0: [1, 0, 0], C1: [0, 0, 1], N: 1 },
          Extend: [true, true],
        },
      }),
    );
    const stripes = context.register(
      context.stream('0 0.6 0 rg 0 0 10 20 re f', {
        Type: 'Pattern',
        PatternType: 1,
        PaintType: 1,
        TilingType: 1,
        BBox: [0, 0, 20, 20],
        XStep: 20,
        YStep: 20,
        Resources: {},
        Matrix: [2, 0, 0, 2, 10, 20],
      }),
    );
    const content = context.register(
      context.stream('/Pattern cs /P1 scn 100 100 400 150 re f /Pattern cs /P2 scn 100 300 400 100 re f'),
    );
    // The resources inherited from the page tree, by an A4 page, a landscape one and an A3 one.
    doc.catalog.Pages().set(PDFName.of('Resources'), context.obj({ Pattern: { P1: gradient, P2: stripes } }));
    for (const size of [
      [A4W, A4H],
      [841.89, 595.28],
      [841.89, 1190.55],
    ] as const) {
      const page = doc.addPage([...size]);
      page.node.delete(PDFName.of('Resources'));
      page.node.set(PDFName.of('Contents'), content);
    }
    const out = await printed(doc);
    const patternsOf = (n: number): PDFDict =>
      out.getPage(n).node.Resources()?.lookup(PDFName.of('Pattern'), PDFDict) as PDFDict;
    const matrixOf = (n: number, name: string): number[] | undefined => {
      const pattern = patternsOf(n).lookup(PDFName.of(name));
      return numbers(
        out,
        (pattern instanceof PDFStream ? pattern.dict : (pattern as PDFDict)).lookup(PDFName.of('Matrix')),
      );
    };
    assert.equal(matrixOf(1, 'P1'), undefined, 'the A4 page prints its gradient as before');
    near(matrixOf(1, 'P2'), [2, 0, 0, 2, 10, 20], 'the A4 page prints its stripes as before');
    near(matrixOf(2, 'P1'), LANDSCAPE, 'the gradient turned with the landscape page');
    near(matrixOf(2, 'P2'), times([2, 0, 0, 2, 10, 20], LANDSCAPE), 'the stripes turned with the landscape page');
    near(matrixOf(3, 'P1'), A3, 'the gradient shrunk with the A3 page');
    near(matrixOf(3, 'P2'), times([2, 0, 0, 2, 10, 20], A3), 'the stripes shrunk with the A3 page');
    for (const name of ['P1', 'P2']) {
      const refs = [1, 2, 3].map((n) => patternsOf(n).get(PDFName.of(name)));
      assert.ok(refs.every((ref) => ref instanceof PDFRef) && new Set(refs.map(String)).size === 3, `${name}: ${refs}`);
    }
  });

  it('a shared appearance stream: each page turns its own copy, and an A4 page that shares it prints it as before', async () => {
    const doc = await PDFDocument.create();
    const { context } = doc;
    const look = (color: string): PDFRef =>
      context.register(
        context.stream(`${color} rg 0 0 200 60 re f`, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 200, 60] }),
      );
    const [approved, off] = [look('0 0 1'), look('1 0 0')];
    const sharedAp = context.register(context.obj({ N: approved }));
    const stamp = (rect: number[], ap: PDFObject): PDFRef =>
      context.register(context.obj({ Type: 'Annot', Subtype: 'Stamp', Rect: rect, F: 4, AP: ap, AS: 'On' }));
    // A stamping tool's one appearance on an A4 page and on two landscape pages, twice on the first of them.
    doc.addPage([A4W, A4H]).node.set(PDFName.of('Annots'), context.obj([stamp([300, 700, 500, 760], sharedAp)]));
    doc
      .addPage([841.89, 595.28])
      .node.set(
        PDFName.of('Annots'),
        context.obj([stamp([600, 480, 800, 540], sharedAp), stamp([600, 380, 800, 440], context.obj({ N: approved }))]),
      );
    doc
      .addPage([841.89, 595.28])
      .node.set(
        PDFName.of('Annots'),
        context.obj([stamp([600, 480, 800, 540], context.obj({ N: { On: approved, Off: off } }))]),
      );
    const out = await printed(doc);
    /** The normal appearance of annotation `i` on page `n` (its state `state`), by reference. */
    const appearance = (n: number, i: number, state?: string): PDFRef => {
      const annot = out.getPage(n).node.Annots()?.lookup(i, PDFDict) as PDFDict;
      const normal = annot.lookup(PDFName.of('AP'), PDFDict);
      return (
        state === undefined
          ? normal.get(PDFName.of('N'))
          : normal.lookup(PDFName.of('N'), PDFDict).get(PDFName.of(state))
      ) as PDFRef;
    };
    const stream = (ref: PDFRef): PDFRawStream => {
      const found = out.context.lookup(ref);
      assert.ok(found instanceof PDFRawStream, `${ref} is a stream`);
      return found;
    };
    const a4 = stream(appearance(1, 0));
    assert.equal(a4.dict.get(PDFName.of('Matrix')), undefined, 'the A4 page prints its stamp unturned, as before');
    assert.equal(Buffer.from(a4.getContents()).toString('latin1'), '0 0 1 rg 0 0 200 60 re f');
    const turned = [appearance(2, 0), appearance(2, 1), appearance(3, 0, 'On'), appearance(3, 0, 'Off')];
    const turn = [LANDSCAPE[0], LANDSCAPE[1], LANDSCAPE[2], LANDSCAPE[3], 0, 0];
    for (const ref of turned)
      near(numbers(out, stream(ref).dict.get(PDFName.of('Matrix'))), turn, `${ref} turned once`);
    assert.equal(String(turned[0]), String(turned[1]), 'two stamps on one page share one turned copy');
    assert.equal(
      new Set([appearance(1, 0), ...turned].map(String)).size,
      4,
      'each page its own copy, the A4 page the original',
    );
  });

  it('the points of annotations without /AP, from which viewers draw them: QuadPoints, InkList, L, Vertices, CL, Path', async () => {
    const doc = await PDFDocument.create();
    const { context } = doc;
    const points = {
      QuadPoints: [100, 400, 300, 400, 100, 380, 300, 380],
      L: [60, 405, 390, 485],
      Vertices: [460, 355, 590, 355, 525, 485],
      CL: [360, 170, 420, 120, 420, 100],
    };
    const ink = [
      [50, 50, 60, 70, 80, 90],
      [100, 100, 120, 130],
    ];
    for (const size of [
      [841.89, 595.28],
      [841.89, 1190.55],
    ] as const) {
      const annot = (subtype: string, entries: Record<string, unknown>): PDFRef =>
        context.register(context.obj({ Type: 'Annot', Subtype: subtype, Rect: [40, 40, 600, 500], F: 4, ...entries }));
      doc
        .addPage([...size])
        .node.set(
          PDFName.of('Annots'),
          context.obj([
            annot('Highlight', { QuadPoints: points.QuadPoints }),
            annot('Line', { L: points.L }),
            annot('Polygon', { Vertices: points.Vertices }),
            annot('FreeText', { CL: points.CL, DA: PDFString.of('/Helv 12 Tf 0 g'), IT: 'FreeTextCallout' }),
            annot('Ink', { InkList: ink, Path: ink }),
          ]),
        );
    }
    const out = await printed(doc);
    const fitted = (m: Matrix, list: number[]): number[] =>
      list.flatMap((v, i) =>
        i % 2 === 1 ? [] : [m[0] * v + m[2] * list[i + 1]! + m[4], m[1] * v + m[3] * list[i + 1]! + m[5]],
      );
    for (const [n, m] of [
      [1, LANDSCAPE],
      [2, A3],
    ] as const) {
      const annots = out.getPage(n).node.Annots() as PDFArray;
      const entry = (i: number, key: string): unknown => annots.lookup(i, PDFDict).lookup(PDFName.of(key));
      for (const [i, key] of ['QuadPoints', 'L', 'Vertices', 'CL'].entries()) {
        const list = points[key as keyof typeof points];
        near(numbers(out, entry(i, key)), fitted(m, list), `page ${n}: ${key}`);
      }
      // InkList, and PDF 2.0's Path: one list of points per stroke.
      for (const key of ['InkList', 'Path']) {
        const strokes = (entry(4, key) as PDFArray).asArray().map((stroke) => numbers(out, out.context.lookup(stroke)));
        assert.equal(strokes.length, 2);
        ink.forEach((stroke, i) => near(strokes[i], fitted(m, stroke), `page ${n}: ${key} ${i}`));
      }
    }
  });
});

describe('fitted patterns in the print copy stay bounded (found in review: 10 000 landscape pages of one 100 KB hatching composed to 1 GB)', () => {
  /** A tiling pattern whose stream holds `bytes` bytes. */
  const tiling = (doc: PDFDocument, bytes: number): PDFRef =>
    doc.context.register(
      doc.context.stream(`0 0 10 10 re f\n%${'x'.repeat(Math.max(0, bytes - 16))}\n`, {
        Type: 'Pattern',
        PatternType: 1,
        PaintType: 1,
        TilingType: 1,
        BBox: [0, 0, 10, 10],
        XStep: 10,
        YStep: 10,
        Resources: {},
      }),
    );

  /** `doc` with pages of `sizes`, all naming one resource dictionary with `patterns`; its print copy's bytes and pages. */
  async function compose(doc: PDFDocument, patterns: PDFRef[], sizes: readonly (readonly [number, number])[]) {
    const { context } = doc;
    const entries = Object.fromEntries(patterns.map((ref, i) => [`P${i}`, ref]));
    const resources = context.register(context.obj({ Pattern: entries }));
    const content = context.register(context.stream('/Pattern cs /P0 scn 100 100 400 150 re f'));
    for (const size of sizes) {
      const page = doc.addPage([...size]);
      page.node.set(PDFName.of('Resources'), resources);
      page.node.set(PDFName.of('Contents'), content);
    }
    const source = await doc.save({ useObjectStreams: false });
    const cover = await PDFDocument.create();
    cover.addPage([A4W, A4H]);
    const { bytes } = await composeForsendelsesfil({
      forside: await cover.save(),
      documents: [{ bytes: source, ekskluderesFraPrint: false, sider: sizes.length }],
      variant: 'print',
    });
    return { source, bytes, out: await PDFDocument.load(bytes) };
  }

  const rawStream = (out: PDFDocument, ref: PDFRef): PDFRawStream => {
    const found = out.context.lookup(ref);
    assert.ok(found instanceof PDFRawStream, `${ref} is a stream`);
    return found;
  };

  const patternRef = (out: PDFDocument, n: number, name = 'P0'): PDFRef =>
    out.getPage(n).node.Resources()?.lookup(PDFName.of('Pattern'), PDFDict).get(PDFName.of(name)) as PDFRef;

  it('pages with the same fit share one fitted copy: 200 landscape pages of one 300 KB pattern print in about the size of the file', async () => {
    const size = 300 * 1024;
    const doc = await PDFDocument.create();
    const sizes = [[A4W, A4H] as const, ...Array.from({ length: 200 }, () => [841.89, 595.28] as const)];
    const { source, bytes, out } = await compose(doc, [tiling(doc, size)], sizes);
    assert.ok(bytes.length < source.length + 2 * size, `${bytes.length} bytes for a file of ${source.length}`);
    const original = patternRef(out, 1);
    const fitted = new Set(sizes.slice(1).map((_, i) => String(patternRef(out, i + 2))));
    assert.equal(fitted.size, 1, 'one copy for all landscape pages');
    assert.notEqual([...fitted][0], String(original), 'the A4 page keeps the original');
    const copy = rawStream(out, patternRef(out, 2));
    near(numbers(out, copy.dict.get(PDFName.of('Matrix'))), LANDSCAPE, 'the copy turned with the landscape pages');
    assert.equal(copy.getContentsSize(), rawStream(out, original).getContentsSize());
  });

  it(`many page sizes: past ${FIT_PATTERN_BYTES} bytes of copies a pattern is left as it is, and the compose succeeds`, async () => {
    const size = 2 * 1024 * 1024;
    const doc = await PDFDocument.create();
    // 24 landscape pages, each a little wider, so each has a fit of its own: 48 MB of copies unbounded.
    const sizes = Array.from({ length: 24 }, (_, i) => [842 + i, 595] as const);
    const { source, bytes, out } = await compose(doc, [tiling(doc, size)], sizes);
    assert.ok(bytes.length <= source.length + FIT_PATTERN_BYTES, `${bytes.length} bytes`);
    const refs = sizes.map((_, i) => patternRef(out, i + 1));
    const original = refs[refs.length - 1]!;
    const copies = Math.floor(FIT_PATTERN_BYTES / rawStream(out, original).getContentsSize());
    assert.equal(new Set(refs.slice(0, copies).map(String)).size, copies, 'the first pages each fitted');
    for (const ref of refs.slice(copies)) {
      assert.equal(String(ref), String(original), 'the pages past the bound share the original');
      assert.equal(rawStream(out, ref).dict.get(PDFName.of('Matrix')), undefined);
    }
  });

  it(`many page sizes of many tiny patterns: at most ${FIT_PATTERN_COPIES} fitted copies`, async () => {
    const doc = await PDFDocument.create();
    const patterns = Array.from({ length: 300 }, () => tiling(doc, 16));
    // 40 sizes × 300 patterns: 12 000 copies unbounded.
    const sizes = Array.from({ length: 40 }, (_, i) => [842 + i, 595] as const);
    const { out } = await compose(doc, patterns, sizes);
    const refs = new Set<string>();
    for (let n = 1; n <= sizes.length; n += 1)
      for (let i = 0; i < patterns.length; i += 1) refs.add(String(patternRef(out, n, `P${i}`)));
    assert.equal(refs.size, FIT_PATTERN_COPIES + patterns.length, 'the copies up to the bound, and the originals');
  });
});
