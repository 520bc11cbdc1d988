/** Posting fixtures to a running door, and reading answers the way clients do. */
import type { SoapFixture } from '../../../fixtures/soap/index.js';

/** Basic credentials of the RecordingService's default user. */
export const AUTH = `Basic ${Buffer.from('kommune:hemmelig').toString('base64')}`;

/** An HTTP answer as text. */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Headers;
  readonly text: string;
}

/** POSTs a fixture (with the default credentials unless `auth` is given or null). */
export async function post(endpoint: string, fixture: SoapFixture, auth: string | null = AUTH): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': fixture.contentType, ...fixture.headers };
  delete headers.expect;
  if (auth !== null) headers.authorization = auth;
  const res = await fetch(endpoint, { method: 'POST', headers, body: fixture.body });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    headers: res.headers,
    text: await res.text(),
  };
}

/** What the Node client extracts on success: every single-line `<return>(.*?)</return>` (docs/interfaces.md §16). */
export function nodeClientReturns(text: string): string[] {
  return [...text.matchAll(/<return>(.*?)<\/return>/g)].map((m) => m[1] ?? '');
}

/** What the Node client extracts on error: `<faultstring>` text. */
export function faultstring(text: string): string | undefined {
  return /<faultstring>(.*?)<\/faultstring>/s.exec(text)?.[1];
}

/** The SOAP 1.2 `Reason/Text`. */
export function reasonText(text: string): string | undefined {
  return /<soap:Text[^>]*>(.*?)<\/soap:Text>/s.exec(text)?.[1];
}
