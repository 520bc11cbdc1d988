/**
 * Fair claiming of webhook deliveries, shared by the stores' `claimDue`: a receiver that
 * hangs holds at most `perSubscription` of the dispatcher's slots, and so do all the
 * subscriptions of one avsender together, and a subscription with a
 * backlog does not fill a round that another's due delivery is waiting for (webhook review of
 * 7 December 2026: one sender's hanging receiver held every slot for its timeout, round after
 * round, and every other sender's events waited behind it).
 */

/** What the dispatcher asks for besides the count: a cap per subscription and what is in flight. */
export interface FairClaim {
  /** At most this many of one subscription in flight, those already counted. */
  readonly perSubscription: number;
  /** Deliveries in flight per subscription. */
  readonly inFlight: ReadonlyMap<string, number>;
  /**
   * The owner (avsender) of each subscription, whose subscriptions together have at most
   * `perSubscription` in flight: one avsender's four subscriptions to a receiver that hangs
   * held every slot, and other avsendere's events waited (poison review of 7 December 2026).
   * A subscription not named here is capped alone.
   */
  readonly ownerOf?: ReadonlyMap<string, string>;
}

/** Deliveries in flight per owner (a subscription without one is its own owner). */
function inFlightByOwner(fair: FairClaim): Map<string, number> {
  const byOwner = new Map<string, number>();
  for (const [id, n] of fair.inFlight) {
    const owner = ownerKey(fair, id);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + n);
  }
  return byOwner;
}

function ownerKey(fair: FairClaim, subscriptionId: string): string {
  const owner = fair.ownerOf?.get(subscriptionId);
  return owner === undefined ? `abonnement:${subscriptionId}` : `avsender:${owner}`;
}

/** The subscriptions whose owner is at its cap: none of theirs is read. */
export function fullSubscriptions(fair: FairClaim | undefined): string[] {
  if (fair === undefined) return [];
  const byOwner = inFlightByOwner(fair);
  const full = (id: string): boolean => (byOwner.get(ownerKey(fair, id)) ?? 0) >= fair.perSubscription;
  return [...new Set([...fair.inFlight.keys(), ...(fair.ownerOf?.keys() ?? [])])].filter(full);
}

/** How many candidates to read for a fair pick of `limit`: more than `limit`, so others' show. */
export function candidatesFor(limit: number, fair: FairClaim | undefined): number {
  return fair === undefined ? limit : limit * 8;
}

/** Up to `limit` of `candidates` (due first), each owner up to its cap with those in flight. */
export function pickFairly<T extends { readonly subscriptionId: string }>(
  candidates: readonly T[],
  limit: number,
  fair: FairClaim | undefined,
): T[] {
  if (fair === undefined) return candidates.slice(0, limit);
  const byOwner = inFlightByOwner(fair);
  const picked: T[] = [];
  for (const c of candidates) {
    if (picked.length >= limit) break;
    const owner = ownerKey(fair, c.subscriptionId);
    const n = byOwner.get(owner) ?? 0;
    if (n >= fair.perSubscription) continue;
    byOwner.set(owner, n + 1);
    picked.push(c);
  }
  return picked;
}
