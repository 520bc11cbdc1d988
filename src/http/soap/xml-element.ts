/**
 * The small element tree the envelope reader builds for the SOAP Body (document bytes
 * excluded: `<data>` carries a slot number instead of its text). Lookups go by local
 * name and ignore namespaces: V9 children are unqualified (docs/interfaces.md §3), and a client
 * that qualifies them anyway is still understood (docs/interfaces.md §15 point 4).
 *
 * Every WSDL's XSD gives an element maxOccurs=1 unless it is one of LIST_ELEMENTS. A
 * repeated single-valued element is refused where it is read, naming it: otherwise one
 * of two `<tittel>`s wins silently — which one depends on the server (JAXB keeps the
 * last) — and the sender cannot know what letter it sent. `child` is the only way the
 * bindings read a single-valued element, so none can skip that check.
 */
import type { SaxesTagNS } from 'saxes';
import { ValidationError } from '../../domain/errors.js';
import { XSI_NS } from './namespaces.js';

/** A qualified name; `uri` is '' for no namespace, undefined when a prefix was unbound. */
export interface QName {
  readonly uri: string | undefined;
  readonly local: string;
}

/** One element of the Body. */
export interface XmlElement {
  readonly uri: string;
  readonly local: string;
  /** The element it was read in; undefined for the operation element, where paths begin. */
  readonly parent: XmlElement | undefined;
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

/**
 * The request elements that are lists (maxOccurs="unbounded") in a served WSDL
 * (src/http/soap/wsdl/, V4–V11): read with `children`, and indexed in paths (`dokumenter[1]`).
 */
export const LIST_ELEMENTS: ReadonlySet<string> = new Set([
  'dokumenter',
  'lenker',
  'ekstraMetadata',
  'giroarkSider',
  'eksponertFor',
  'forsendelseider',
  'forsendelsesIder',
]);

/** A new element with no children, read inside `parent` (which the caller appends it to). */
export function newElement(uri: string, local: string, parent?: XmlElement): XmlElement {
  return { uri, local, parent, children: [], text: '', nil: false };
}

/**
 * The element of a start tag read inside `parent`, with its `xsi:nil` and `xsi:type`; the
 * type's prefix is resolved by `resolve` against the namespaces in scope there (docs/interfaces.md §5).
 */
export function elementOf(
  tag: SaxesTagNS,
  parent: XmlElement | undefined,
  resolve: (prefix: string) => string | undefined,
): XmlElement {
  const el = newElement(tag.uri ?? '', tag.local, parent);
  for (const attr of Object.values(tag.attributes)) {
    if (attr.uri !== XSI_NS) continue;
    if (attr.local === 'nil') el.nil = /^\s*(true|1)\s*$/.test(attr.value);
    if (attr.local === 'type') {
      const value = attr.value.trim();
      const colon = value.indexOf(':');
      const prefix = colon === -1 ? '' : value.slice(0, colon);
      el.xsiType = { uri: resolve(prefix) ?? (prefix === '' ? '' : undefined), local: value.slice(colon + 1) };
    }
  }
  return el;
}

/** The one child with this local name; a second one is refused, naming it (see above). */
export function child(el: XmlElement | undefined, local: string): XmlElement | undefined {
  let found: XmlElement | undefined;
  for (const c of el?.children ?? []) {
    if (c.local !== local) continue;
    if (found !== undefined) throw repeatedElement(c);
    found = c;
  }
  return found;
}

/**
 * The first child that `matches` (any child by default), refused like `child` when its
 * name repeats: for V10/V11 arguments found by shape rather than by name (docs/interfaces.md §6a).
 */
export function firstChild(
  el: XmlElement | undefined,
  matches: (c: XmlElement) => boolean = () => true,
): XmlElement | undefined {
  const found = el?.children.find(matches);
  return found === undefined ? undefined : child(el, found.local);
}

/** The first child whose local name matches one of `locals` (tried in order). */
export function childOf(el: XmlElement | undefined, locals: readonly string[]): XmlElement | undefined {
  for (const local of locals) {
    const found = child(el, local);
    if (found) return found;
  }
  return undefined;
}

/** Every child with this local name, in document order, skipping `xsi:nil` ones: for LIST_ELEMENTS. */
export function children(el: XmlElement | undefined, local: string): XmlElement[] {
  return el ? el.children.filter((c) => c.local === local && !c.nil) : [];
}

/** Text of the one child with this local name; undefined when absent or nil. */
export function childText(el: XmlElement | undefined, local: string): string | undefined {
  const c = child(el, local);
  return c === undefined || c.nil ? undefined : c.text;
}

/** The element's dotted path below the operation, list entries indexed: `forsendelse.dokumenter[1].data`. */
export function elementPath(el: XmlElement): string {
  const names: string[] = [];
  for (let e: XmlElement = el; e.parent !== undefined; e = e.parent) {
    const siblings = e.parent.children.filter((c) => c.local === e.local);
    names.unshift(LIST_ELEMENTS.has(e.local) ? `${e.local}[${siblings.indexOf(e)}]` : e.local);
  }
  return names.join('.');
}

/** The refusal of a second occurrence of a single-valued element, as a problem naming it. */
function repeatedElement(el: XmlElement): ValidationError {
  const path = elementPath(el);
  return new ValidationError([{ field: path, message: `Ugyldig forespørsel: ${path} kan bare forekomme én gang` }]);
}
