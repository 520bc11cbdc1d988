/**
 * Fair claiming of webhook deliveries, shared by the stores' `claimDue`: a receiver that
 * hangs holds at most `perSubscription` of the dispatcher's slots, and so do all the
 * subscriptions of one avsender together, and all those to one receiving host a larger share, and a subscription with a
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
   * The groups of each subscription (its avsender, its receiver's host), each with the most it
   * may have in flight over all its subscriptions: one avsender's four subscriptions to a
   * receiver that hangs, or four avsendere's to one vendor's receiver that hangs, held every
   * slot, and the others' events waited (reviews of 7 December 2026). A subscription not named
   * here is capped alone.
   */
  readonly groupsOf?: ReadonlyMap<string, readonly ClaimGroup[]>;
}

/** A group of subscriptions and the most deliveries all of them may have in flight. */
export interface ClaimGroup {
  readonly key: string;
  readonly cap: number;
}

/** What a subscription's deliveries count against: itself, and its groups. */
function groupsOf(fair: FairClaim, subscriptionId: string): readonly ClaimGroup[] {
  return [
    { key: `abonnement:${subscriptionId}`, cap: fair.perSubscription },
    ...(fair.groupsOf?.get(subscriptionId) ?? []),
  ];
}

/** Deliveries in flight per group key. */
function inFlightByKey(fair: FairClaim): Map<string, number> {
  const byKey = new Map<string, number>();
  for (const [id, n] of fair.inFlight)
    for (const { key } of groupsOf(fair, id)) byKey.set(key, (byKey.get(key) ?? 0) + n);
  return byKey;
}

/** True when one of the subscription's groups is at its cap. */
function atCap(fair: FairClaim, byKey: ReadonlyMap<string, number>, subscriptionId: string): boolean {
  return groupsOf(fair, subscriptionId).some(({ key, cap }) => (byKey.get(key) ?? 0) >= cap);
}

/** The subscriptions at their cap or in a group at its cap: none of theirs is read. */
export function fullSubscriptions(fair: FairClaim | undefined): string[] {
  if (fair === undefined) return [];
  const byKey = inFlightByKey(fair);
  return [...new Set([...fair.inFlight.keys(), ...(fair.groupsOf?.keys() ?? [])])].filter((id) =>
    atCap(fair, byKey, id),
  );
}

/** How many candidates to read for a fair pick of `limit`: more than `limit`, so others' show. */
export function candidatesFor(limit: number, fair: FairClaim | undefined): number {
  return fair === undefined ? limit : limit * 8;
}

/** Up to `limit` of `candidates` (due first), each subscription and group up to its cap with those in flight. */
export function pickFairly<T extends { readonly subscriptionId: string }>(
  candidates: readonly T[],
  limit: number,
  fair: FairClaim | undefined,
): T[] {
  if (fair === undefined) return candidates.slice(0, limit);
  const byKey = inFlightByKey(fair);
  const picked: T[] = [];
  for (const c of candidates) {
    if (picked.length >= limit) break;
    if (atCap(fair, byKey, c.subscriptionId)) continue;
    for (const { key } of groupsOf(fair, c.subscriptionId)) byKey.set(key, (byKey.get(key) ?? 0) + 1);
    picked.push(c);
  }
  return picked;
}
