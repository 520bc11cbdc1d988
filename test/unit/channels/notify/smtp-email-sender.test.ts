import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import {
  DEFAULT_VARSLING,
  NotificationError,
  renderVarsel,
  SmtpEmailSender,
  varselMessageId,
} from '../../../../src/channels/notify/index.js';
import { onMessage } from '../../../mail-server.js';
import { readMessage } from './mime.js';

const FROM = 'Bø kommune <varsel@bo.kommune.no>';
const FORSENDELSE_ID = '3f0c2a9e-1b7d-4c55-9a41-7f6e2d1c0b9a';
const LENKE = `https://post.bo.kommune.no/innboks/${FORSENDELSE_ID}`;

interface Received {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
}

void describe('SmtpEmailSender', () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let url: string;

  before(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onRcptTo(address, _session, callback) {
        // Addresses that exercise the server's refusals.
        if (address.address.startsWith('finnesikke@')) {
          return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        }
        if (address.address.startsWith('opptatt')) {
          // As Postfix greylisting answers: the reply quotes the address.
          const why = `<${address.address}>: mailbox busy, try later`;
          return callback(Object.assign(new Error(why), { responseCode: 450 }));
        }
        if (address.address.startsWith('full@')) {
          return callback(Object.assign(new Error('Mailbox full, try later'), { responseCode: 452 }));
        }
        callback();
      },
      onData(stream, session, callback) {
        onMessage(stream, (raw) => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          // The content arrived and the server refuses it (it keeps nothing) …
          if (to.includes('innholdavvist@example.no'))
            return callback(Object.assign(new Error('Message rejected'), { responseCode: 554 }));
          // … or never answers, and the sender gives up waiting (the server may have kept it).
          if (to.includes('stille@example.no')) return;
          received.push({
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.server.address() as AddressInfo;
    url = `smtp://127.0.0.1:${port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  void it('delivers a rendered notification: recipient, subject, body with link, deterministic Message-ID, no fødselsnummer', async () => {
    const sender = new SmtpEmailSender(url, FROM);
    const varsel = renderVarsel({
      avsender: {
        navn: 'Bø kommune',
        ...DEFAULT_VARSLING,
        epostTekst: `${DEFAULT_VARSLING.epostTekst}\n\nSak: {tittel}`,
      },
      tittel: 'Vedtak for 01010112345',
      lenke: LENKE,
    });
    const messageId = varselMessageId(FORSENDELSE_ID, FROM);
    const count = received.length;
    await sender.send({
      to: 'kari@example.no',
      subject: varsel.subject,
      text: varsel.text,
      html: varsel.html,
      headers: { messageId },
    });

    assert.equal(received.length, count + 1);
    const got = received[count];
    assert.ok(got);
    assert.equal(got.from, 'varsel@bo.kommune.no');
    assert.deepEqual(got.to, ['kari@example.no']);
    const mail = readMessage(got.raw);
    assert.equal(messageId, `<varsel.${FORSENDELSE_ID}@bo.kommune.no>`);
    assert.equal(mail.headers.get('message-id'), messageId);
    assert.equal(mail.headers.get('subject'), 'Du har fått brev fra Bø kommune');
    assert.equal(mail.headers.get('to'), 'kari@example.no');
    assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
    assert.ok(mail.text?.includes(`Les brevet her:\n${LENKE}`), String(mail.text));
    assert.ok(mail.text?.includes('Sak: Vedtak for ***********'), String(mail.text));
    assert.ok(mail.html?.includes(`<a href="${LENKE}">`), String(mail.html));
    // Neither the raw message nor its decoded parts carry an 11-digit number. The MIME
    // boundary is random hex and may hold 11 digits by chance (≈1 in 100), so it is cut out.
    const boundary = /boundary="([^"]+)"/.exec(mail.headers.get('content-type') ?? '')?.[1];
    assert.ok(boundary);
    const headers = [...mail.headers.values()].join('\n');
    for (const s of [got.raw, mail.text ?? '', mail.html ?? '', headers].map((x) => x.replaceAll(boundary, ''))) {
      assert.doesNotMatch(s, /(?<!\d)\d{11}(?!\d)/);
    }
  });

  void it('given a retry with the same forsendelse, then the same Message-ID goes out', async () => {
    const sender = new SmtpEmailSender(url, FROM);
    const messageId = varselMessageId(FORSENDELSE_ID, FROM);
    const count = received.length;
    await sender.send({ to: 'kari@example.no', subject: 'a', text: 'b', headers: { messageId } });
    await sender.send({ to: 'kari@example.no', subject: 'a', text: 'b', headers: { messageId } });
    const ids = received.slice(count).map((r) => readMessage(r.raw).headers.get('message-id'));
    assert.deepEqual(ids, [messageId, messageId]);
  });

  void it('given a recipient refused for good (550), then a permanent NotificationError', async () => {
    const sender = new SmtpEmailSender(url, FROM);
    await assert.rejects(sender.send({ to: 'finnesikke@example.no', subject: 'a', text: 'b' }), (err: unknown) => {
      assert.ok(err instanceof NotificationError);
      assert.equal(err.retryable, false);
      assert.equal(err.code, 'VARSLING_FEILET');
      assert.match(err.message, /E-postadressen ble avvist av e-posttjeneren/);
      return true;
    });
  });

  void it('given a recipient that is more than one mailbox, then a permanent NotificationError and nothing reaches the server', async () => {
    const sender = new SmtpEmailSender(url, FROM);
    const count = received.length;
    for (const to of [
      'kari@example.no, evil@attacker.example',
      'kari@example.no;evil@attacker.example',
      'Kari <kari@example.no>',
    ]) {
      await assert.rejects(sender.send({ to, subject: 'a', text: 'b' }), (err: unknown) => {
        assert.ok(err instanceof NotificationError);
        assert.equal(err.retryable, false);
        assert.match(err.message, /^Ugyldig e-postadresse for varsel: må være én adresse/);
        return true;
      });
    }
    assert.equal(received.length, count);
  });

  void it('given a refusal that quotes the address, then the error, its cause and its log line never name it', async () => {
    const sender = new SmtpEmailSender(url, FROM);
    for (const to of ['opptatt@example.no', "opptatt.o'neil@example.no"]) {
      await assert.rejects(sender.send({ to, subject: 'a', text: 'b' }), (err: unknown) => {
        assert.ok(err instanceof NotificationError);
        assert.equal(err.retryable, true);
        assert.match(err.message, / <adresse>: mailbox busy/);
        const logged = JSON.stringify(pino.stdSerializers.err(err as Error));
        assert.match(logged, /mailbox busy/, "the server's reason is kept for the operator");
        assert.doesNotMatch(logged, /opptatt|neil|example\.no/);
        assert.doesNotMatch(err.historyText, /opptatt|neil|example\.no/);
        return true;
      });
    }
  });

  void it('given a temporary refusal (452), then a retryable NotificationError', async () => {
    const sender = new SmtpEmailSender(url, FROM);
    await assert.rejects(sender.send({ to: 'full@example.no', subject: 'a', text: 'b' }), (err: unknown) => {
      assert.ok(err instanceof NotificationError);
      assert.equal(err.retryable, true);
      return true;
    });
  });

  void it('given beforeTransfer, then it runs after the server took the envelope and before any content', async () => {
    const sender = new SmtpEmailSender(url, FROM);
    const count = received.length;
    let seenAtGate = -1;
    const sent = await sender.send({
      to: 'kari@example.no',
      subject: 'a',
      text: 'b',
      beforeTransfer: async () => {
        seenAtGate = received.length;
        return true;
      },
    });
    assert.equal(sent, true);
    assert.equal(seenAtGate, count, 'no content had arrived when the gate ran');
    assert.equal(received.length, count + 1);
  });

  void it('given beforeTransfer says no, then nothing arrives and send answers false', async () => {
    const sender = new SmtpEmailSender(url, FROM);
    const count = received.length;
    assert.equal(
      await sender.send({ to: 'kari@example.no', subject: 'a', text: 'b', beforeTransfer: async () => false }),
      false,
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(received.length, count);
  });

  void it('given the gate is never reached (recipient refused), then it is not called', async () => {
    const sender = new SmtpEmailSender(url, FROM);
    let called = false;
    const gate = async (): Promise<boolean> => (called = true);
    await assert.rejects(
      sender.send({ to: 'finnesikke@example.no', subject: 'a', text: 'b', beforeTransfer: gate }),
      NotificationError,
    );
    assert.equal(called, false);
  });

  void it('given the server refuses the content, then the error says it has no copy; given no answer, that it may have one', async () => {
    const sender = new SmtpEmailSender(url, FROM);
    const gate = async (): Promise<boolean> => true;
    await assert.rejects(
      sender.send({ to: 'innholdavvist@example.no', subject: 'a', text: 'b', beforeTransfer: gate }),
      (err: unknown) => {
        assert.ok(err instanceof NotificationError);
        assert.equal(err.kanskjeLevert, false);
        assert.equal(err.retryable, true);
        return true;
      },
    );
    const impatient = new SmtpEmailSender(`${url}?socketTimeout=500`, FROM);
    await assert.rejects(
      impatient.send({ to: 'stille@example.no', subject: 'a', text: 'b', beforeTransfer: gate }),
      (err: unknown) => {
        assert.ok(err instanceof NotificationError);
        assert.equal(err.kanskjeLevert, true);
        return true;
      },
    );
    await assert.rejects(
      sender.send({ to: 'finnesikke@example.no', subject: 'a', text: 'b', beforeTransfer: gate }),
      (err: unknown) => {
        assert.ok(err instanceof NotificationError);
        assert.equal(err.kanskjeLevert, false, 'refused before the content: certainly not delivered');
        return true;
      },
    );
  });

  void it('given no SMTP server listening, then a retryable NotificationError', async () => {
    const closed = new SMTPServer({ authOptional: true });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const { port } = closed.server.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const sender = new SmtpEmailSender(`smtp://127.0.0.1:${port}`, FROM);
    await assert.rejects(sender.send({ to: 'kari@example.no', subject: 'a', text: 'b' }), (err: unknown) => {
      assert.ok(err instanceof NotificationError);
      assert.equal(err.retryable, true);
      assert.match(err.message, /E-post kunne ikke sendes/);
      return true;
    });
  });
});
