/**
 * Publish channels: the catalog as open, Hive-partitioned Parquet for other engines.
 */
import { z } from 'zod';
import { channel, empty } from './schemas.js';

/** What one publish did. */
export interface PublishReport {
  /** The folder readers point their engine at (`ROOT/parquet`). */
  readonly directory: string;
  /** Counts up with every publish; the manifest carries it. */
  readonly generation: number;
  /** Whether the owner republishes after every committed change. */
  readonly auto: boolean;
  readonly tables: readonly { readonly name: string; readonly rows: number; readonly files: number }[];
  /** Files written by this publish; the rest were unchanged and kept. */
  readonly written: number;
  readonly kept: number;
  /** Files of the previous publish that no longer hold current rows. */
  readonly removed: number;
  readonly bytes: number;
  readonly duration_ms: number;
}

/** The last publish as its manifest records it; null fields when never published. */
export interface PublicationStatus {
  readonly directory: string;
  readonly generation: number | null;
  readonly published_at: string | null;
  readonly auto: boolean;
  readonly tables: readonly { readonly name: string; readonly rows: number; readonly files: number }[];
}

export const publishContract = {
  'catalog:publish': channel(z.object({ auto: z.boolean().optional() }).strict(), 'write').returns<PublishReport>(),
  'catalog:publication': channel(empty).returns<PublicationStatus>(),
} as const;
