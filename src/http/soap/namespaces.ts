/**
 * The XML namespaces the SOAP door reads and writes (docs/interfaces.md §3, §5).
 */

/** SOAP 1.1 envelope namespace. */
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
/** SOAP 1.2 envelope namespace. */
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
/** Target namespace of ForsendelsesServiceV9 (wrapper elements only; children are unqualified). */
export const SERVICE_NS = 'http://www.ks.no/svarut/servicesV9';
/** XML Schema instance namespace (xsi:type, xsi:nil). */
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
/** XOP namespace of `<xop:Include href="cid:…"/>` (MTOM). */
export const XOP_NS = 'http://www.w3.org/2004/08/xop/include';

/** The SOAP version of a request, decided by its envelope namespace (docs/interfaces.md §15 point 1). */
export type SoapVersion = '1.1' | '1.2';

/** The envelope namespace of a SOAP version. */
export function envelopeNamespace(version: SoapVersion): string {
  return version === '1.1' ? SOAP11_NS : SOAP12_NS;
}

/** The response Content-Type of a SOAP version (text/xml for 1.1, application/soap+xml for 1.2). */
export function soapContentType(version: SoapVersion): string {
  return version === '1.1' ? 'text/xml; charset=utf-8' : 'application/soap+xml; charset=utf-8';
}
