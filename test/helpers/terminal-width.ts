/**
 * glibc's wcswidth, the reference for terminal columns: what terminals and `wc -L` count.
 */
import { spawnSync } from 'node:child_process';

/** The columns each text takes by glibc's wcswidth in C.UTF-8 (-1 where one has an unprintable character), through python3's ctypes. */
export function glibcWidths(texts: readonly string[]): number[] {
  const script = [
    'import ctypes, json, locale, sys',
    "locale.setlocale(locale.LC_ALL, 'C.UTF-8')",
    "libc = ctypes.CDLL('libc.so.6')",
    'libc.wcswidth.argtypes = [ctypes.c_wchar_p, ctypes.c_size_t]',
    'print(json.dumps([libc.wcswidth(t, len(t)) for t in json.load(sys.stdin)]))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as number[];
}
