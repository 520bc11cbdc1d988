/** The admin web's detail page of a letter built from `events`, rendered to HTML, for the unit tests of that page. */
import { jsx } from 'hono/jsx';
import type { ForsendelseEvent } from '../../../src/domain/events.js';
import { ForsendelseDetailPage } from '../../../src/http/admin/views/detail-page.js';
import { T0, existing } from '../domain/given.js';

export async function renderDetailPage(events: readonly ForsendelseEvent[], kanVarsleIgjen: boolean): Promise<string> {
  return String(
    await jsx(ForsendelseDetailPage, {
      ctx: { csrf: 'token', user: { brukernavn: 'admin', passordHash: '', rolle: 'admin', createdAt: T0 } },
      state: existing(events),
      kanVarsleIgjen,
    }).toString(),
  );
}
