/**
 * A document's index in a download path (`…/dokumenter/0`): decimal digits without a leading zero. `Number()`
 * also read `1e0`, `0x1`, ` 1` and the empty string as indexes (found in a review), so one
 * document had several addresses and a blank one was document 0.
 */
export function documentIndex(param: string): number | undefined {
  return /^(0|[1-9][0-9]{0,3})$/.test(param) ? Number(param) : undefined;
}
