export { httpWebhookSender, type HttpWebhookSenderOptions } from './http-webhook-sender.js';
