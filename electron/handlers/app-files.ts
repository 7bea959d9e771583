import { writeFileAtomicSync } from '../storage/atomic-write.js';

/**
 * Writes one of the app's own small files (window state and the like) atomically.
 *
 * The front doors may not reach `storage/` themselves (DESIGN.md layers), so they get the
 * storage layer's atomic writer through here rather than writing a copy of it.
 */
export function writeAppFile(file: string, text: string): void {
  writeFileAtomicSync(file, text);
}
