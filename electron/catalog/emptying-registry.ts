/**
 * Trash entries this process is deleting now, by root and plan id.
 *
 * An empty marks its entries under the writer and deletes their files or objects after it
 * lets the writer go; meanwhile a restore of one is refused, and another empty of one waits
 * for this one to end before it looks again. One process owns a catalog's writes, so the
 * registry is per process. The local trash and the bucket's trash each keep one.
 */
export class EmptyingRegistry {
  private readonly busy = new Map<string, Promise<void>>();

  private static key(root: string, planId: string): string {
    return `${root}\0${planId}`;
  }

  /** True while this process is deleting the entry of `planId`. */
  has(root: string, planId: string): boolean {
    return this.busy.has(EmptyingRegistry.key(root, planId));
  }

  /** Settles when the deletes of those of `planIds` being deleted now end; null when none is. */
  waitFor(root: string, planIds: readonly string[]): Promise<unknown> | null {
    const waits = planIds.flatMap((planId) => this.busy.get(EmptyingRegistry.key(root, planId)) ?? []);
    return waits.length > 0 ? Promise.all(waits) : null;
  }

  /**
   * Registers the entries as being deleted (call it before the writer is let go); the
   * returned function ends that, letting waiters look again.
   */
  claim(root: string, planIds: readonly string[]): () => void {
    let done!: () => void;
    const deleted = new Promise<void>((resolve) => { done = resolve; });
    const keys = planIds.map((planId) => EmptyingRegistry.key(root, planId));
    for (const key of keys) this.busy.set(key, deleted);
    return () => {
      for (const key of keys) this.busy.delete(key);
      done();
    };
  }
}
