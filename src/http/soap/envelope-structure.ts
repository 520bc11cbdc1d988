/**
 * The cardinality rules the envelope reader enforces as elements open, so a request that
 * breaks one is refused before more of it is parsed or stored: the Envelope has one
 * Header and one Body (SOAP 1.1 §4, SOAP 1.2 part 1 §5), the Body one element, the
 * operation (document/literal wrapped, docs/interfaces.md §3), and a forsendelse at most
 * COUNT_LIMITS.dokumenter documents — one problem for the list, not one per element,
 * where the domain would otherwise see (and the door store) every one of thousands.
 */
import { BadRequestError, ValidationError } from '../../domain/errors.js';
import { COUNT_LIMITS } from '../../domain/validation/length-rules.js';
import type { XmlElement } from './xml-element.js';

/** The counts of one envelope; one instance per request. */
export class EnvelopeStructure {
  private readonly parts = new Set<string>();
  private readonly documentCounts = new Map<XmlElement, number>();

  /** A `Header` or `Body` in the envelope's namespace: the second of either is refused. */
  envelopePart(local: 'Header' | 'Body'): void {
    if (this.parts.has(local)) {
      throw new BadRequestError(`Ugyldig forespørsel: soap:${local} kan bare forekomme én gang`);
    }
    this.parts.add(local);
  }

  /** An element opening in the Body, `name` as written: only the first, the operation, is allowed. */
  bodyElement(operation: XmlElement | undefined, name: string): void {
    if (operation !== undefined) {
      throw new BadRequestError(`Ugyldig forespørsel: Body kan bare ha ett element, operasjonen (fant også «${name}»)`);
    }
  }

  /** Counts a `<dokumenter>` of `parent`; past the domain's limit the request is refused at once. */
  document(parent: XmlElement): void {
    const count = (this.documentCounts.get(parent) ?? 0) + 1;
    this.documentCounts.set(parent, count);
    const max = COUNT_LIMITS.dokumenter;
    if (count > max) {
      throw new ValidationError([
        { field: 'dokumenter', message: `For mange elementer: dokumenter kan ha høyst ${max} (meldingen har flere)` },
      ]);
    }
  }

  /** The index of the `<dokumenter>` last counted in `parent` (for labels like `dokumenter[3].data`). */
  lastDocumentIndex(parent: XmlElement | undefined): number {
    return parent === undefined ? 0 : Math.max(0, (this.documentCounts.get(parent) ?? 1) - 1);
  }
}
