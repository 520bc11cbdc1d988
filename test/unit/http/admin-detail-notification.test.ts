/**
 * The admin web's detail page on a letter notified on no channel: it tells "nobody to notify"
 * from "the address refused it", and offers a resend only where there is an address to send
 * to again (mayResendNotification, whyNoResend in src/domain/delivery-rules.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ForsendelseEvent } from '../../../src/domain/events.js';
import { T0, MINUTE, ev, upTo } from '../domain/given.js';
import { renderDetailPage } from './detail-page-render.js';

const render = (events: readonly ForsendelseEvent[]): Promise<string> => renderDetailPage(events, true);

describe('admin detail page: a letter notified on no channel', () => {
  it('with no address: says so, and offers no resend', async () => {
    const digitalWithoutAddress: ForsendelseEvent = {
      type: 'KanalValgt',
      at: T0 + 2 * MINUTE,
      kanal: 'digital',
      grunn: 'Ingen varslingsadresse; forsendelsen venter i digital innboks',
    };
    const html = await render([
      ...upTo.akseptert(),
      digitalWithoutAddress,
      ev.varslingStartet(),
      ev.varslet({ kanaler: [] }),
    ]);
    assert.match(html, /\(ingen varslingsadresse; venter i innboksen\)/);
    assert.doesNotMatch(html, /varsle-pa-nytt/);
    assert.match(html, /Forsendelsen har ingen varslingsadresse, så det er ikke noe varsel å sende på nytt/);
  });

  it('with an address that refused it: says it was not delivered, and offers the resend', async () => {
    const html = await render([...upTo.varslingStartet(), ev.varslet({ kanaler: [] })]);
    assert.match(html, /\(ikke levert; se historikken\)/);
    assert.doesNotMatch(html, /ingen varslingsadresse/);
    assert.match(html, /action="[^"]*\/varsle-pa-nytt"/);
  });
});
