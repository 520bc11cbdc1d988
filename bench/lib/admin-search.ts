/**
 * The admin search the bench times: an admin logged in to the admin web lists one
 * avsender's letters in one status over a period (a week or a month, ending on a day of
 * the seeded span), newest first.
 */
import { osloDate } from '../../src/domain/time/index.js';

const DAY = 24 * 3600_000;

/** One search: avsender, status and [fra, til) in epoch ms, in the read model's query shape. */
export interface BenchSearch {
  readonly avsender: string;
  readonly avsendere: string[];
  readonly status: ['SENDT_PRINT' | 'VARSLET'];
  readonly fra: number;
  readonly til: number;
}

/** `count` searches, varied deterministically. */
export function searchQueries(avsendere: readonly string[], now: number, count: number): BenchSearch[] {
  return Array.from({ length: count }, (_, k) => {
    const recent = k % 4 === 0;
    const status: 'SENDT_PRINT' | 'VARSLET' = recent ? 'VARSLET' : 'SENDT_PRINT';
    const til = recent ? now : now - DAY - (k % 20) * DAY;
    const fra = til - (k % 2 === 0 ? 7 : 30) * DAY;
    const avsender = avsendere[k % avsendere.length] as string;
    return { avsender, avsendere: [avsender], status: [status], fra, til };
  });
}

function ymd(ms: number): string {
  const d = osloDate(ms);
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** The admin web paths for `searchQueries` (dates as the form sends them: yyyy-mm-dd). */
export function searchPaths(avsendere: readonly string[], now: number, count: number): string[] {
  return searchQueries(avsendere, now, count).map(
    (q) =>
      `/forvaltning/forsendelser?avsender=${encodeURIComponent(q.avsender)}&status=${q.status[0]}&fra=${ymd(q.fra)}&til=${ymd(q.til)}`,
  );
}

/** A logged-in admin web session. */
export interface AdminSession {
  get(path: string): Promise<{ status: number; text: string }>;
}

/** Logs in through the login form (CSRF token and session cookie, as a browser does). */
export async function adminLogin(base: string, user: string, password: string): Promise<AdminSession> {
  let cookie = '';
  const request = async (path: string, init: RequestInit = {}): Promise<{ status: number; text: string }> => {
    const headers = new Headers(init.headers);
    if (cookie !== '') headers.set('cookie', cookie);
    const res = await fetch(`${base}${path}`, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0] ?? '';
      if (pair.startsWith('budbringer_forvaltning=')) cookie = pair;
    }
    return { status: res.status, text: await res.text() };
  };
  const page = await request('/forvaltning/logg-inn');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (csrf === undefined) throw new Error('the login page has no CSRF field');
  const body = new URLSearchParams({ _csrf: csrf, brukernavn: user, passord: password });
  const answer = await request('/forvaltning/logg-inn', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (answer.status !== 303) throw new Error(`admin login: ${answer.status} ${answer.text.slice(0, 200)}`);
  return { get: (path) => request(path) };
}
