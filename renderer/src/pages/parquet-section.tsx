/**
 * The catalog published as open Parquet, on the Storage page: when, what, and the switch
 * that keeps it current after every change.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '../api/api-context.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { useToast } from '../components/toast.js';
import { formatBytes, formatCount, formatCountOf, formatDate } from '../lib/format.js';

/** How often the status is re-read while automatic publishing is on (it runs after commits, off the UI's calls). */
const AUTO_POLL_MS = 5000;

/** The "Published as Parquet" section. */
export function ParquetSection(): ReactNode {
  const notify = useToast();
  const status = useQuery('catalog:publication', {}, []);
  const publish = useMutation('catalog:publish');
  const s = status.data;
  const refetch = status.refetch;
  // The switch shows the curator's choice at once; the manifest confirms it when the publish is done.
  const [autoWanted, setAutoWanted] = useState<boolean | null>(null);

  useEffect(() => {
    if (!s?.auto) return undefined;
    const timer = setInterval(refetch, AUTO_POLL_MS);
    return () => clearInterval(timer);
  }, [s?.auto, refetch]);

  const run = (auto?: boolean): void => {
    if (auto !== undefined) setAutoWanted(auto);
    publish.run(auto === undefined ? {} : { auto }).then((report) => {
      notify(`Published the catalog as Parquet: ${formatCountOf(report.written, 'file')} written, ${formatCount(report.kept)} unchanged (${formatBytes(report.bytes)}).`, 'success');
      refetch();
    }, () => { setAutoWanted(null); });
  };
  useEffect(() => { if (s && autoWanted === s.auto) setAutoWanted(null); }, [s, autoWanted]);

  return (
    <section aria-labelledby="parquet-title">
      <div className="page-header">
        <h2 id="parquet-title">Published as Parquet</h2>
        <div className="toolbar">
          <button type="button" onClick={() => run()} disabled={publish.pending}>{publish.pending ? 'Publishing…' : 'Publish now'}</button>
          <label className="check">
            <input type="checkbox" checked={autoWanted ?? s?.auto ?? false} disabled={!s || publish.pending}
              onChange={(event) => run(event.currentTarget.checked)} />
            Republish after every change
          </label>
        </div>
      </div>
      <p className="muted">
        Other engines (DuckDB, Trino, Spark, Athena) read the catalog from Hive-partitioned Parquet files, without Ontocat.
      </p>
      {publish.error && <ErrorState error={publish.error} title="Publishing failed" />}
      {status.error ? <ErrorState error={status.error} onRetry={refetch} /> : !s ? <Skeleton rows={2} label="Loading the publication status" /> : s.generation === null
        ? <p className="muted">Not published yet. <span className="mono">{s.directory}</span> will hold the files.</p> : (
          <>
            <p role="status" aria-label="Publication status">
              Generation {s.generation}, published {formatDate(s.published_at)} to <code className="mono">{s.directory}</code>
              {s.auto ? '; kept current after every change.' : '; published only when asked.'}
            </p>
            <table className="data-table" aria-label="Published tables">
              <thead><tr><th scope="col">Table</th><th scope="col" className="num">Rows</th><th scope="col" className="num">Files</th></tr></thead>
              <tbody>
                {s.tables.map((t) => (
                  <tr key={t.name}><td className="mono">{t.name}</td><td className="num">{formatCount(t.rows)}</td><td className="num">{formatCount(t.files)}</td></tr>
                ))}
              </tbody>
            </table>
            <p className="muted">Query it: <code className="mono">{`SELECT * FROM read_parquet('${s.directory}/table=files/*/*/*.parquet', hive_partitioning = true)`}</code></p>
          </>
        )}
    </section>
  );
}
