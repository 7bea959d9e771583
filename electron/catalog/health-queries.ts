import type { ValidationHealth } from '../shared/models.js';
import { emptyHealth } from '../shared/validation-health.js';
import type { SqlConnection } from './sql.js';

/** Validation health of one version, by the one definition in v_version_health. */
export async function versionHealth(conn: SqlConnection, versionId: string): Promise<ValidationHealth> {
  const health = await conn.scalar<ValidationHealth>('SELECT health FROM v_version_health WHERE version_id = $1', [versionId]);
  return health ?? emptyHealth();
}
