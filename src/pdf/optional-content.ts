/**
 * Layers (optional content, ISO 32000-1 §8.11) a sender's viewer hides stay hidden in the
 * letter's file. copyPages copies pages, not the document catalog's /OCProperties, which
 * says which layers are off: without it every layer shows, so a plan drawing exported from
 * CAD or GIS with a draft layer switched off showed that layer to the recipient, and a layer
 * meant for the screen only was printed (found in review).
 *
 * The pages are therefore copied with one copier, which also copies the source's layers, and
 * the output's /OCProperties lists them with the ones hidden off: those off in the default
 * configuration (its /OFF, or all but its /ON when its /BaseState is /OFF), and those its
 * usage application (/AS) switches off for the event the copy is for, /View for the digital
 * file and /Print for the print copy (a layer whose /Usage says /PrintState /OFF).
 */
import { PDFArray, PDFDict, PDFName, PDFObjectCopier, PDFPage, PDFRef, type PDFDocument } from 'pdf-lib';

/** What the copy is for: the inbox's file (viewed) or the print copy (printed). */
export type LayerEvent = 'View' | 'Print';

/** Copies every page of `src` to `out`, and `src`'s layers with the ones hidden for `event` off. */
export async function copyPagesWithLayers(out: PDFDocument, src: PDFDocument, event: LayerEvent): Promise<PDFPage[]> {
  await src.flush();
  const copier = PDFObjectCopier.for(src.context, out.context);
  const pages = src.getPages().map((page) => {
    const node = copier.copy(page.node);
    return PDFPage.of(node, out.context.register(node), out);
  });
  // Every layer is listed, also where none is off: a viewer may treat a group that the
  // output's /OCProperties does not list otherwise once another document's layers are there.
  const layers = layersOf(src, event);
  if (layers !== undefined) {
    addLayers(
      out,
      layers.all.map((ref) => copier.copy(ref)),
      layers.off.map((ref) => copier.copy(ref)),
    );
  }
  return pages;
}

/** `src`'s layers and those hidden for `event`; undefined when it has none. */
function layersOf(src: PDFDocument, event: LayerEvent): { all: PDFRef[]; off: PDFRef[] } | undefined {
  const properties = src.catalog.lookup(PDFName.of('OCProperties'));
  if (!(properties instanceof PDFDict)) return undefined;
  const all = refsIn(properties.lookup(PDFName.of('OCGs')));
  if (all.length === 0) return undefined;
  const config = properties.lookup(PDFName.of('D'));
  const off = new Set<PDFRef>();
  if (config instanceof PDFDict) {
    const baseState = config.lookup(PDFName.of('BaseState'));
    if (baseState instanceof PDFName && baseState.asString() === '/OFF') {
      const on = new Set(refsIn(config.lookup(PDFName.of('ON'))));
      for (const ref of all) if (!on.has(ref)) off.add(ref);
    } else for (const ref of refsIn(config.lookup(PDFName.of('OFF')))) off.add(ref);
    for (const [ref, on] of usageStates(src, config, event)) {
      if (on) off.delete(ref);
      else off.add(ref);
    }
  }
  return { all, off: all.filter((ref) => off.has(ref)) };
}

/**
 * The layers the configuration's usage application (/AS) switches for `event`, on or off
 * (ISO 32000-1 §8.11.4.4): a layer off on screen may be on for printing, a "KOPI" stamp, and
 * Acrobat prints it (until 7 December 2026 only the switching off was read; review).
 */
function usageStates(src: PDFDocument, config: PDFDict, event: LayerEvent): Map<PDFRef, boolean> {
  const states = new Map<PDFRef, boolean>();
  const applications = config.lookup(PDFName.of('AS'));
  if (!(applications instanceof PDFArray)) return states;
  for (const entry of applications.asArray()) {
    const application = src.context.lookup(entry);
    if (!(application instanceof PDFDict)) continue;
    const applies = application.lookup(PDFName.of('Event'));
    if (!(applies instanceof PDFName) || applies.asString() !== `/${event}`) continue;
    const categories = application.lookup(PDFName.of('Category'));
    if (!(categories instanceof PDFArray) || !categories.asArray().some((c) => c.toString() === `/${event}`)) continue;
    for (const ref of refsIn(application.lookup(PDFName.of('OCGs')))) {
      const group = src.context.lookup(ref);
      const usage = group instanceof PDFDict ? group.lookup(PDFName.of('Usage')) : undefined;
      const forEvent = usage instanceof PDFDict ? usage.lookup(PDFName.of(event)) : undefined;
      const state = forEvent instanceof PDFDict ? forEvent.lookup(PDFName.of(`${event}State`)) : undefined;
      if (state instanceof PDFName && (state.asString() === '/OFF' || state.asString() === '/ON'))
        states.set(ref, state.asString() === '/ON');
    }
  }
  return states;
}

/** Adds `all` to `out`'s layers and `off` to those its default configuration has off. */
function addLayers(out: PDFDocument, all: readonly PDFRef[], off: readonly PDFRef[]): void {
  const context = out.context;
  let properties = out.catalog.lookup(PDFName.of('OCProperties'));
  if (!(properties instanceof PDFDict)) {
    properties = context.obj({ OCGs: [], D: { Name: 'Standard', OFF: [] } });
    out.catalog.set(PDFName.of('OCProperties'), properties);
  }
  const dict = properties as PDFDict;
  const groups = dict.lookup(PDFName.of('OCGs'), PDFArray);
  const offList = dict.lookup(PDFName.of('D'), PDFDict).lookup(PDFName.of('OFF'), PDFArray);
  for (const ref of all) groups.push(ref);
  for (const ref of off) offList.push(ref);
}

/** The references in `value`, if it is an array. */
function refsIn(value: unknown): PDFRef[] {
  return value instanceof PDFArray ? value.asArray().filter((v): v is PDFRef => v instanceof PDFRef) : [];
}
