import type { Catalog } from './open-catalog.js';
import { publishParquet, readParquetManifest } from './parquet-publish.js';

/** How long the catalog must be quiet before an automatic publish starts. */
const QUIET_MS = 1000;

/**
 * Republishes the catalog as Parquet after committed changes, when the root asks for it.
 *
 * A curator turns it on once (`ontocat publish --auto on`, recorded in the manifest); from
 * then on the owning process publishes after each burst of commits, and a closing CLI
 * process publishes what it changed before it exits. Turned off, a commit costs one timer.
 */
export class ParquetAutoPublisher {
  private timer: NodeJS.Timeout | null = null;
  private pending = false;
  private running: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(private readonly catalog: Catalog, private readonly quietMs = QUIET_MS) {
    this.unsubscribe = catalog.onCommitted(() => { this.schedule(); });
  }

  private schedule(): void {
    this.pending = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = null; void this.runPending(); }, this.quietMs);
    this.timer.unref();
  }

  private runPending(): Promise<void> {
    this.running = this.running.then(async () => {
      if (!this.pending) return;
      this.pending = false;
      if (!readParquetManifest(this.catalog.root)?.auto) return;
      try {
        await publishParquet(this.catalog);
      } catch (error) {
        // Recording this as a catalog event would commit, and so publish again: say it once here.
        console.error(`[ontocat] publishing the catalog as Parquet failed: ${(error as Error).message}`);
      }
    });
    return this.running;
  }

  /** Publishes now what is still pending, then stops listening. */
  async close(): Promise<void> {
    this.unsubscribe();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.runPending();
  }
}
