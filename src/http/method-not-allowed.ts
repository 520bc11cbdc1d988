/**
 * The methods a path answers to, for a request whose method none of its routes takes: such a
 * request is answered 405 with an `Allow` header, and OPTIONS 204 with it, as Spring answers
 * on KS's SvarUt (an integrator who sends GET to `sendForsendelse` learns to send POST, not
 * that the path is wrong). Built once from the app's routes; middleware (`ALL`) and catch-all
 * routes (ending in `*`) say nothing of a path's methods and are left out. The HTTP app puts
 * the table on each request's context (routeMethodsMiddleware); each door's own catch-all
 * asks it (methodsOfKnownPath) after its authentication, and answers in its own format.
 */
import type { Context, MiddlewareHandler } from 'hono';
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
    // Routes match strictly: `/x/` is not `/x` to them, so it is no known path here either.
    if (path.length > 1 && path.endsWith('/')) return [];
    const found: string[] = [];
    for (const m of METHODS) {
      if (!this.methods.has(m)) continue;
      const [handlers] = this.router.match(m, path);
      if (handlers.length > 0) found.push(m);
    }
    return found.includes('GET') ? ['GET', 'HEAD', ...found.filter((m) => m !== 'GET')] : found;
  }
}

/** The context variable holding the app's RouteMethods. */
const ROUTE_METHODS = 'budbringerRouteMethods';

/** Puts `methods()` (the table, built once every door is mounted) on each request's context. */
export function routeMethodsMiddleware(methods: () => RouteMethods | undefined): MiddlewareHandler {
  return async (c, next) => {
    c.set(ROUTE_METHODS as never, methods() as never);
    await next();
  };
}

/**
 * For a request no route of its method took: the methods its path answers to when it is a
 * known path and this method is not one of them (a 405), else undefined (a 404).
 */
export function methodsOfKnownPath(c: Context): string[] | undefined {
  const methods = c.get(ROUTE_METHODS as never) as RouteMethods | undefined;
  const allowed = methods?.allowed(c.req.path) ?? [];
  return allowed.length > 0 && !allowed.includes(c.req.method) ? allowed : undefined;
}

/** The `Allow` header for a known path's methods: OPTIONS too, which every known path answers. */
export function allowHeader(allowed: readonly string[]): string {
  return [...allowed, 'OPTIONS'].join(', ');
}

/** OPTIONS on a known path: 204 with `Allow`, as Spring answers it; undefined for any other method. */
export function answerOptions(c: Context, allowed: readonly string[]): Response | undefined {
  return c.req.method === 'OPTIONS' ? c.body(null, 204, { allow: allowHeader(allowed) }) : undefined;
}

/** The Norwegian text of a 405: the method, the path and the methods it takes. */
export function methodNotAllowedText(c: Context, allowed: readonly string[]): string {
  return `Metoden ${c.req.method} er ikke tillatt for ${c.req.path}; bruk ${allowed.filter((m) => m !== 'HEAD').join(' eller ')}`;
}
