/**
 * Validation channels: run the validators and quality checks over a version.
 */
import { z } from 'zod';
import type { ValidationHealth } from '../models.js';
import type { ValidationHealthRow } from './report.js';
import { channel, versionRefSchema } from './schemas.js';

/** The summary of one validation run; its rows are read with `validations:list`. */
export interface ValidateRunResult {
  readonly service: string;
  readonly version: string;
  readonly files: number;
  readonly checked: number;
  readonly bytes: number;
  readonly triples: number;
  readonly terms: number;
  /** The version's validation health after this run. */
  readonly health: ValidationHealth;
  /** The same health per validator and format. */
  readonly by_validator: readonly ValidationHealthRow[];
  readonly workers: number;
  /** Files whose results were reused from the same content validated elsewhere (not parsed again). */
  readonly reused: number;
  readonly duration_ms: number;
}

export const validateContract = {
  'validate:run': channel(z.object({
    ref: versionRefSchema,
    workers: z.number().int().min(1).max(256).optional(),
    /** Parse every file again instead of reusing results by content hash. */
    fresh: z.boolean().optional(),
  }).strict(), 'write').returns<ValidateRunResult>(),
} as const;
