/**
 * Fair claiming of webhook deliveries, shared by the stores' `claimDue`: a receiver that
 * hangs holds at most `perSubscription` of the dispatcher's slots, and a subscription with a
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
}

/** How many more of `subscriptionId` may be claimed. */
function room(fair: FairClaim, subscriptionId: string): number {
  return fair.perSubscription - (fair.inFlight.get(subscriptionId) ?? 0);
}

/** The subscriptions at their cap: none of theirs is read. */
export function fullSubscriptions(fair: FairClaim | undefined): string[] {
  if (fair === undefined) return [];
  return [...fair.inFlight.keys()].filter((id) => room(fair, id) <= 0);
}

/** How many candidates to read for a fair pick of `limit`: more than `limit`, so others' show. */
export function candidatesFor(limit: number, fair: FairClaim | undefined): number {
  return fair === undefined ? limit : limit * 8;
}

/** Up to `limit` of `candidates` (due first), each subscription up to its cap with those in flight. */
export function pickFairly<T extends { readonly subscriptionId: string }>(
  candidates: readonly T[],
  limit: number,
  fair: FairClaim | undefined,
): T[] {
  if (fair === undefined) return candidates.slice(0, limit);
  const taken = new Map<string, number>();
  const picked: T[] = [];
  for (const c of candidates) {
    if (picked.length >= limit) break;
    const n = taken.get(c.subscriptionId) ?? 0;
    if (n >= room(fair, c.subscriptionId)) continue;
    taken.set(c.subscriptionId, n + 1);
    picked.push(c);
  }
  return picked;
}
