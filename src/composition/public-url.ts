/**
 * The node's public base URL. With PORT=0 the port is known only once the server listens,
 * so the doors read the URL through `get` when they need it instead of being built with
 * it: the HTTP app is built once, before listening, and never rebuilt.
 */
import type { Settings } from '../config/schema.js';

/** The base URL clients reach this node at; bound once the HTTP server listens. */
export class PublicUrl {
  private value: string;

  constructor(private readonly settings: Pick<Settings, 'PUBLIC_URL' | 'PORT' | 'HOST'>) {
    this.value = settings.PUBLIC_URL ?? '';
  }

  /** The URL now: PUBLIC_URL, or '' on a node that has not listened (a worker without PUBLIC_URL). */
  readonly get = (): string => this.value;

  /** Takes the listening port: without PUBLIC_URL, or with PORT=0 (tests), the URL is the listener's. */
  bindListening(port: number): void {
    if (this.settings.PUBLIC_URL === undefined || this.settings.PORT === 0)
      this.value = `http://${this.settings.HOST}:${port}`;
  }
}
