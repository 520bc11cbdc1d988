/**
 * The small element tree the envelope reader builds for the SOAP Body (document bytes
 * excluded: `<data>` carries a slot number instead of its text). Lookups go by local
 * name and ignore namespaces: V9 children are unqualified (docs/interfaces.md §3), and a client
 * that qualifies them anyway is still understood (docs/interfaces.md §15 point 4).
 */

/** A qualified name; `uri` is '' for no namespace, undefined when a prefix was unbound. */
export interface QName {
  readonly uri: string | undefined;
  readonly local: string;
}

/** One element of the Body. */
export interface XmlElement {
  readonly uri: string;
  readonly local: string;
  readonly children: XmlElement[];
  /** Concatenated character data (CDATA included); '' for elements with only children. */
  text: string;
  /** `xsi:type`, its prefix resolved against the namespaces in scope where it was written. */
  xsiType?: QName;
  /** `xsi:nil="true"`. */
  nil: boolean;
  /** For a document's `<data>`: index of its slot in the parsed envelope. */
  dataSlot?: number;
}

/** A new element with no children. */
export function newElement(uri: string, local: string): XmlElement {
  return { uri, local, children: [], text: '', nil: false };
}

/** The first child with this local name. */
export function child(el: XmlElement | undefined, local: string): XmlElement | undefined {
  return el?.children.find((c) => c.local === local);
}

/** The first child whose local name matches one of `locals` (tried in order). */
export function childOf(el: XmlElement | undefined, locals: readonly string[]): XmlElement | undefined {
  for (const local of locals) {
    const found = child(el, local);
    if (found) return found;
  }
  return undefined;
}

/** Every child with this local name, in document order, skipping `xsi:nil` ones. */
export function children(el: XmlElement | undefined, local: string): XmlElement[] {
  return el ? el.children.filter((c) => c.local === local && !c.nil) : [];
}

/** Text of the first child with this local name; undefined when absent or nil. */
export function childText(el: XmlElement | undefined, local: string): string | undefined {
  const c = child(el, local);
  return c === undefined || c.nil ? undefined : c.text;
}
