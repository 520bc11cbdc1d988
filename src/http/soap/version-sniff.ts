/**
 * The SOAP version of an envelope the parser refused before it reached the Envelope
 * element (a DOCTYPE, an encoding we do not take): the envelope namespace decides the
 * fault's version (docs/interfaces.md §15 point 1), and the Node client sends a 1.1 envelope as
 * application/soap+xml and reads only `<faultstring>` (docs/interfaces.md §3 and §16). So the
 * text already read is searched for the Envelope start tag and the namespace its prefix
 * is bound to there; where it cannot be seen, the caller keeps its Content-Type guess.
 */
import { SOAP11_NS, SOAP12_NS, type SoapVersion } from './namespaces.js';

/** How much of the start of a message is kept for this. */
export const SNIFF_CHARS = 8192;

// `<prefix:Envelope …>` (the root element: its prefix must be declared on the tag itself).
const ENVELOPE_TAG = /<(?:([A-Za-z_][\w.-]*):)?Envelope(\s[^>]*)?\/?>/;
const NS_DECLARATION = /\sxmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The version whose namespace the Envelope start tag in `head` declares for itself, if any. */
export function sniffEnvelopeVersion(head: string): SoapVersion | undefined {
  const tag = ENVELOPE_TAG.exec(head);
  if (!tag) return undefined;
  const prefix = tag[1];
  for (const decl of (tag[2] ?? '').matchAll(NS_DECLARATION)) {
    if (decl[1] !== prefix) continue;
    const uri = decl[2] ?? decl[3];
    if (uri === SOAP11_NS) return '1.1';
    if (uri === SOAP12_NS) return '1.2';
    return undefined;
  }
  return undefined;
}
