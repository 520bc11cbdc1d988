/**
 * The one place that turns errors into SOAP faults (the project's on-error translator
 * delegates SOAP requests here). docs/interfaces.md §3: no wsdl:fault is declared, so every error is
 * a generic fault carrying the Norwegian message meant for end users — `faultstring`
 * in SOAP 1.1 (the Node client extracts exactly that), `Reason/Text` in SOAP 1.2 — with
 * HTTP 500 (docs/interfaces.md §15 point 6). Missing credentials are not a fault but a 401 with a
 * Basic challenge, which WCF waits for before it sends any (docs/interfaces.md §15 point 10).
 */
import { AuthenticationError, BadRequestError, BudbringerError, ValidationError } from '../../domain/errors.js';
import { BASIC_REALM } from '../basic-auth.js';
import { envelopeNamespace, soapContentType, type SoapVersion } from './namespaces.js';
import { escapeXmlAttribute, escapeXmlText } from './xml-text.js';

/** The fault codes the door uses (SOAP 1.2 names; 1.1 maps Sender→Client, Receiver→Server). */
export type SoapFaultCode = 'VersionMismatch' | 'MustUnderstand' | 'Sender' | 'Receiver';

/** Namespace of the fault detail, giving programs the stable error code and the fields. */
export const FAULT_DETAIL_NS = 'urn:budbringer:feil';

/** The envelope's root element is not in a SOAP 1.1 or 1.2 namespace. */
export class SoapVersionMismatchError extends BadRequestError {
  constructor(namespace: string) {
    super(`Ukjent SOAP-versjon: Envelope har navnerommet «${namespace}»; bruk SOAP 1.1 eller SOAP 1.2`, 'SOAP_VERSJON');
  }
}

/**
 * A header block addressed to us, marked `mustUnderstand`, that we do not understand
 * (header-blocks.ts): a MustUnderstand fault, the message not processed.
 */
export class SoapMustUnderstandError extends BadRequestError {
  constructor(readonly header: { readonly uri: string; readonly local: string }) {
    super(
      `Ugyldig forespørsel: SOAP-headeren {${header.uri}}${header.local} er merket mustUnderstand, ` +
        'men tjenesten forstår den ikke; meldingen er ikke behandlet',
      'SOAP_HEADER_IKKE_FORSTATT',
    );
  }
}

/** Message shown for errors that are not the caller's (details stay in the server log). */
export const INTERNAL_ERROR_MESSAGE = 'Intern feil i Budbringer; forsendelsen er ikke mottatt. Prøv igjen senere.';

/**
 * A fault envelope in the given version. `fields` are the fields a validation error names;
 * `notUnderstood` the header block a SOAP 1.2 MustUnderstand fault reports in a
 * NotUnderstood header (SOAP 1.2 part 1 §5.4.8; SOAP 1.1 has no such header).
 */
export function soapFaultXml(
  version: SoapVersion,
  code: SoapFaultCode,
  message: string,
  feilkode?: string,
  fields: readonly { field: string; message: string }[] = [],
  notUnderstood?: { readonly uri: string; readonly local: string },
): string {
  const env = envelopeNamespace(version);
  const detailBody =
    feilkode === undefined
      ? ''
      : `<feil xmlns="${FAULT_DETAIL_NS}"><kode>${escapeXmlText(feilkode)}</kode>${fields
          .map((f) => `<felt navn="${escapeXmlAttribute(f.field)}">${escapeXmlText(f.message)}</felt>`)
          .join('')}</feil>`;
  const text = escapeXmlText(message);
  const fault =
    version === '1.1'
      ? `<soap:Fault><faultcode>soap:${code11(code)}</faultcode><faultstring>${text}</faultstring>` +
        // SOAP 1.1 §4.4: <detail> carries only errors of the Body, never of a header entry.
        (detailBody && code !== 'MustUnderstand' ? `<detail>${detailBody}</detail>` : '') +
        '</soap:Fault>'
      : `<soap:Fault><soap:Code><soap:Value>soap:${code}</soap:Value></soap:Code>` +
        // "en" as CXF writes it (KS's service), though the text is Norwegian: a client that
        // compares a fault with the real service's sees the same attribute.
        `<soap:Reason><soap:Text xml:lang="en">${text}</soap:Text></soap:Reason>` +
        (detailBody ? `<soap:Detail>${detailBody}</soap:Detail>` : '') +
        '</soap:Fault>';
  const header = version === '1.2' && notUnderstood ? notUnderstoodHeader(notUnderstood) : '';
  return `<soap:Envelope xmlns:soap="${env}">${header}<soap:Body>${fault}</soap:Body></soap:Envelope>`;
}

/** `<soap:Header><soap:NotUnderstood qname="…"/></soap:Header>`, the QName's prefix declared on it. */
function notUnderstoodHeader({ uri, local }: { readonly uri: string; readonly local: string }): string {
  const qname =
    uri === ''
      ? `qname="${escapeXmlAttribute(local)}" xmlns=""`
      : `qname="nu:${escapeXmlAttribute(local)}" xmlns:nu="${escapeXmlAttribute(uri)}"`;
  return `<soap:Header><soap:NotUnderstood ${qname}/></soap:Header>`;
}

/** The fault code, message and stable code for an error. */
export function classifyError(err: unknown): {
  code: SoapFaultCode;
  message: string;
  feilkode: string;
  fields: readonly { field: string; message: string }[];
} {
  if (err instanceof SoapVersionMismatchError) {
    return { code: 'VersionMismatch', message: err.message, feilkode: err.code, fields: [] };
  }
  if (err instanceof SoapMustUnderstandError) {
    return { code: 'MustUnderstand', message: err.message, feilkode: err.code, fields: [] };
  }
  if (err instanceof BudbringerError) {
    const fields = err instanceof ValidationError ? err.problems : [];
    // 501 refuses what the caller sent (a transfer coding we do not implement): its fault, not ours.
    const receiver = err.httpStatus >= 500 && err.httpStatus !== 501;
    return { code: receiver ? 'Receiver' : 'Sender', message: err.message, feilkode: err.code, fields };
  }
  return { code: 'Receiver', message: INTERNAL_ERROR_MESSAGE, feilkode: 'INTERN_FEIL', fields: [] };
}

/**
 * The HTTP answer to an error raised while serving a SOAP request: a fault (HTTP 500) in
 * the request's SOAP version, or 401 with a Basic challenge for AuthenticationError.
 */
export function soapErrorResponse(err: unknown, version: SoapVersion, headers: Record<string, string> = {}): Response {
  if (err instanceof AuthenticationError) return unauthorizedResponse(err.message, headers);
  const { code, message, feilkode, fields } = classifyError(err);
  const notUnderstood = err instanceof SoapMustUnderstandError ? err.header : undefined;
  return new Response(soapFaultXml(version, code, message, feilkode, fields, notUnderstood), {
    status: 500,
    headers: { 'content-type': soapContentType(version), ...headers },
  });
}

/**
 * 401 with `WWW-Authenticate: Basic realm="SvarUt"`. The body is a tiny HTML page: the
 * Node client reports the text of `<title>` for non-SOAP error bodies (docs/interfaces.md §16).
 * It is HTML5 as a servlet container's error page is, not well-formed XML (`<!doctype html>`,
 * an unclosed `<meta>`): clients that parse any answer as XML first (zeep) then report the
 * HTTP status 401 rather than "unknown fault" for a page they took for a SOAP answer.
 */
export function unauthorizedResponse(
  message = new AuthenticationError().message,
  headers: Record<string, string> = {},
): Response {
  return new Response(unauthorizedPage(message), {
    status: 401,
    headers: {
      'www-authenticate': `Basic realm="${BASIC_REALM}"`,
      'content-type': 'text/html; charset=utf-8',
      ...headers,
    },
  });
}

/** The page of a SOAP 401 (see unauthorizedResponse). */
export function unauthorizedPage(message: string): string {
  const text = escapeXmlText(message);
  return `<!doctype html><html lang="no"><head><meta charset="utf-8"><title>401 ${text}</title></head><body><h1>401 ${text}</h1></body></html>`;
}

function code11(code: SoapFaultCode): string {
  if (code === 'Sender') return 'Client';
  if (code === 'Receiver') return 'Server';
  return code;
}
