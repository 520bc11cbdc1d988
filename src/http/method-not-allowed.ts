/**
 * The methods a path answers to, for a request whose method none of its routes takes: such a
 * request is answered 405 with an `Allow` header, as Spring answers on KS's SvarUt (an
 * integrator who sends GET to `sendForsendelse` learns to send POST, not that the path is
 * wrong). Built once from the app's routes; middleware (`ALL`) and catch-all routes (ending
 * in `*`) say nothing of a path's methods and are left out.
 */
import { PatternRouter } from 'hono/router/pattern-router';

/** A route as Hono lists it (`app.routes`). */
export interface RouteEntry {
  readonly method: string;
  readonly path: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Looks up the methods of a path among `routes`. */
export class RouteMethods {
  private readonly router = new PatternRouter<true>();
  private readonly methods = new Set<string>();

  constructor(routes: readonly RouteEntry[]) {
    for (const r of routes) {
      if (r.method === 'ALL' || r.path.endsWith('*') || !(METHODS as readonly string[]).includes(r.method)) continue;
      this.router.add(r.method, r.path, true);
      this.methods.add(r.method);
    }
  }

  /** The methods `path` answers to (HEAD with GET, as Hono answers it), in a fixed order; empty when none. */
  allowed(path: string): string[] {
    const found: string[] = [];
    for (const m of METHODS) {
      if (!this.methods.has(m)) continue;
      const [handlers] = this.router.match(m, path);
      if (handlers.length > 0) found.push(m);
    }
    return found.includes('GET') ? ['GET', 'HEAD', ...found.filter((m) => m !== 'GET')] : found;
  }
}
