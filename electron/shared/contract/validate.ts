/**
 * Validation channels: run the validators and quality checks over a version.
 */
import { z } from 'zod';
import { channel, versionRefSchema } from './schemas.js';

/** Pass/fail counts of one validator in a run. */
export interface ValidatorCount {
  readonly validator: string;
  readonly passed: number;
  readonly failed: number;
}

/** The summary of one validation run; its rows are read with `validations:list`. */
export interface ValidateRunResult {
  readonly service: string;
  readonly version: string;
  readonly files: number;
  readonly checked: number;
  readonly bytes: number;
  readonly triples: number;
  readonly terms: number;
  readonly passed: number;
  readonly failed: number;
  readonly by_validator: readonly ValidatorCount[];
  readonly workers: number;
  readonly duration_ms: number;
}

export const validateContract = {
  'validate:run': channel(z.object({
    ref: versionRefSchema,
    workers: z.number().int().min(1).max(256).optional(),
  }).strict(), 'write').returns<ValidateRunResult>(),
} as const;
