import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DEFAULT_VARSLING,
  LogSmsSender,
  OutboxEmailSender,
  type OutboxWritten,
  renderVarsel,
  type SmsWritten,
  varselMessageId,
} from '../../../../src/channels/notify/index.js';
import { readMessage } from './mime.js';

const FROM = 'Bø kommune <varsel@bo.kommune.no>';
const ID = '3f0c2a9e-1b7d-4c55-9a41-7f6e2d1c0b9a';
const LENKE = `http://localhost:8080/innboks/${ID}`;

void describe('embedded outbox', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'budbringer-outbox-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  void it('writes an RFC 822 .eml named by the Message-ID, reports file and link, and a retry replaces it', async () => {
    const dir = join(root, 'eml', 'outbox'); // does not exist yet: the sender creates it
    const written: OutboxWritten[] = [];
    const sender = new OutboxEmailSender(dir, FROM, { onWritten: (w) => written.push(w) });
    const varsel = renderVarsel({
      avsender: { navn: 'Bø kommune', ...DEFAULT_VARSLING },
      tittel: 'Vedtak',
      lenke: LENKE,
    });
    const msg = {
      to: 'kari@example.no',
      subject: varsel.subject,
      text: varsel.text,
      html: varsel.html,
      headers: { messageId: varselMessageId(ID, FROM) },
    };
    await sender.send(msg);
    await sender.send(msg);

    const file = join(dir, `varsel.${ID}@bo.kommune.no.eml`);
    assert.deepEqual(await readdir(dir), [`varsel.${ID}@bo.kommune.no.eml`]);
    assert.deepEqual(written, [
      { file, to: 'kari@example.no', subject: 'Du har fått brev fra Bø kommune', lenker: [LENKE] },
      { file, to: 'kari@example.no', subject: 'Du har fått brev fra Bø kommune', lenker: [LENKE] },
    ]);
    const raw = await readFile(file, 'utf8');
    assert.match(raw, /^From: =\?UTF-8\?Q\?B=C3=B8_kommune\?= <varsel@bo.kommune.no>\r$/m);
    assert.ok(raw.includes('\r\n'), 'CRLF line ends as on the wire');
    assert.doesNotMatch(raw.replace(/\r\n/g, ''), /\n/);
    const mail = readMessage(raw);
    assert.equal(mail.headers.get('from'), FROM);
    assert.equal(mail.headers.get('to'), 'kari@example.no');
    assert.equal(mail.headers.get('subject'), 'Du har fått brev fra Bø kommune');
    assert.equal(mail.headers.get('message-id'), `<varsel.${ID}@bo.kommune.no>`);
    assert.ok(mail.headers.has('date'));
    assert.equal(mail.text, varsel.text);
    assert.ok(mail.html?.includes(`<a href="${LENKE}">`));
  });

  void it('without a Message-ID, then each message gets its own file', async () => {
    const dir = join(root, 'eml-unique');
    const sender = new OutboxEmailSender(dir, FROM);
    await sender.send({ to: 'a@example.no', subject: 'Første', text: 'en' });
    await sender.send({ to: 'b@example.no', subject: 'Andre', text: 'to' });
    const files = (await readdir(dir)).sort();
    assert.equal(files.length, 2);
    assert.ok(files.every((f) => f.endsWith('.eml') && !f.startsWith('.')));
    const subjects = await Promise.all(
      files.map(async (f) => readMessage(await readFile(join(dir, f), 'utf8')).headers.get('subject')),
    );
    assert.deepEqual(new Set(subjects), new Set(['Første', 'Andre']));
  });

  void it('LogSmsSender writes the SMS next to the e-mails, one file per id', async () => {
    const dir = join(root, 'sms');
    const written: SmsWritten[] = [];
    const sms = new LogSmsSender(dir, { onWritten: (w) => written.push(w) });
    const text = `Du har fått brev fra Bø kommune. Les det her: ${LENKE}`;
    await sms.send({ to: '+4799999999', text, id: `varsel:${ID}` });
    await sms.send({ to: '+4799999999', text, id: `varsel:${ID}` });
    const name = `varsel_${ID}.sms.txt`;
    assert.deepEqual(await readdir(dir), [name]);
    const content = await readFile(join(dir, name), 'utf8');
    assert.match(content, /^Til: \+4799999999\nDato: \d{4}-\d\d-\d\dT[\d:.]+Z\n\n/);
    assert.ok(content.endsWith(`\n\n${text}\n`));
    assert.equal(written.length, 2);
    assert.equal(written[0]?.file, join(dir, name));
  });
});
