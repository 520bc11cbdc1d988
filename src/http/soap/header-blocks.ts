/**
 * SOAP header blocks and `mustUnderstand` (SOAP 1.1 §4.2.3, SOAP 1.2 part 1 §5.2.3 and §5.4.8).
 * The door processes no header: WS-Addressing and WS-Security blocks are ignored on
 * purpose, `mustUnderstand` or not (docs/interfaces.md §3 and §15 point 3), since
 * CXF and WCF mark their WS-A headers so and NAV's clients their WS-Security one. Any other
 * block marked `mustUnderstand` and addressed to us asks for processing we do not do, so
 * the message must be refused with a MustUnderstand fault before anything is processed.
 */
import type { SaxesTagNS } from 'saxes';
import { envelopeNamespace, type SoapVersion } from './namespaces.js';
import { SoapMustUnderstandError } from './soap-fault.js';

/** WS-Addressing: the W3C recommendation (CXF, WCF) and the member submissions WCF and older stacks send. */
const WS_ADDRESSING = [
  'http://www.w3.org/2005/08/addressing',
  'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  'http://schemas.xmlsoap.org/ws/2004/03/addressing',
  'http://schemas.xmlsoap.org/ws/2003/03/addressing',
];

/** WS-Security 1.0/1.1 (`wsse:Security`, a stray `wsu:Timestamp`) and the drafts before OASIS. */
const WS_SECURITY = [
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  'http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd',
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  'http://schemas.xmlsoap.org/ws/2002/07/secext',
  'http://schemas.xmlsoap.org/ws/2002/12/secext',
];

/** Namespaces of the header blocks we "understand" by ignoring them. */
const IGNORED_ON_PURPOSE: ReadonlySet<string> = new Set([...WS_ADDRESSING, ...WS_SECURITY]);

/** The roles we play: SOAP 1.1's `next` actor; SOAP 1.2's `next` and `ultimateReceiver` (not `none`). */
const OUR_ROLES: Readonly<Record<SoapVersion, ReadonlySet<string>>> = {
  '1.1': new Set(['http://schemas.xmlsoap.org/soap/actor/next']),
  '1.2': new Set([
    'http://www.w3.org/2003/05/soap-envelope/role/next',
    'http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver',
  ]),
};

/** Throws SoapMustUnderstandError for a header block we must understand and do not. */
export function checkHeaderBlock(tag: SaxesTagNS, version: SoapVersion): void {
  const envelope = envelopeNamespace(version);
  const attribute = (local: string): string | undefined =>
    Object.values(tag.attributes)
      .find((a) => a.uri === envelope && a.local === local)
      ?.value.trim();
  // xs:boolean in 1.2, "0"/"1" in 1.1; either spelling is taken in both.
  const mustUnderstand = attribute('mustUnderstand');
  if (mustUnderstand !== '1' && mustUnderstand !== 'true') return;
  if (!addressedToUs(attribute(version === '1.1' ? 'actor' : 'role'), version)) return;
  const uri = tag.uri ?? '';
  if (IGNORED_ON_PURPOSE.has(uri)) return;
  throw new SoapMustUnderstandError({ uri, local: tag.local });
}

/** No actor/role (or an empty one) means the ultimate receiver, which we are. */
function addressedToUs(role: string | undefined, version: SoapVersion): boolean {
  return role === undefined || role === '' || OUR_ROLES[version].has(role);
}
