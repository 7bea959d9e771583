/** What a confined call (a user of the team server) may read sources from. */
export interface IngestConfinement {
  /** Absolute folders a local source (or a checkout target) must lie in; empty: no local paths at all. */
  readonly roots: readonly string[];
  /** Host names or addresses allowed even though they are loopback, private or link-local. */
  readonly allowedHosts: readonly string[];
  /** Allow every loopback, private and link-local address (an admin's choice for an intranet mirror). */
  readonly allowPrivateNetwork: boolean;
}
