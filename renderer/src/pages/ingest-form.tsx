/**
 * "Ingest folder…": runs `ingest:run` for a folder, archive or URL, with job progress.
 *
 * Hidden when the catalog is open read-only; the source is typed (the web host has no
 * native folder picker).
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery } from '../api/api-context.js';
import { JobProgressBar, useJobProgress } from '../components/job-progress.js';
import { useToast } from '../components/toast.js';
import { formatBytes, formatCount } from '../lib/format.js';
import { describeHealth } from '../../../electron/shared/validation-health.js';
import { nameProblem } from '../../../electron/shared/name-rules.js';


/** A button that opens the form, and the form itself. */
export function IngestButton({ onDone }: { onDone: () => void }): ReactNode {
  const info = useQuery('catalog:info', {}, []);
  const [open, setOpen] = useState(false);
  if (!info.data || info.data.read_only) return null;
  return (
    <>
      <button type="button" onClick={() => setOpen((v) => !v)} aria-expanded={open}>Ingest folder…</button>
      {open && <IngestForm onClose={(done) => { setOpen(false); if (done) onDone(); }} />}
    </>
  );
}

function IngestForm({ onClose }: { onClose: (done: boolean) => void }): ReactNode {
  const id = useId();
  const notify = useToast();
  const [source, setSource] = useState('');
  const [service, setService] = useState('');
  const [version, setVersion] = useState(() => new Date().toISOString().slice(0, 10));
  const [setLatest, setSetLatest] = useState(true);
  const ingest = useMutation('ingest:run');
  const progress = useJobProgress('ingest', ingest.pending);
  // The same rule the contract applies, so the form says why before the catalog refuses.
  const serviceProblem = service === '' ? null : nameProblem('service', service);
  const versionProblem = nameProblem('version', version);
  const invalid = !source.trim() || service === '' || serviceProblem !== null || versionProblem !== null;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (invalid) return;
    ingest.run({ source: source.trim(), service, version, set_latest: setLatest }).then((result) => {
      const what = result.status === 'unchanged' ? 'already in the catalog, unchanged'
        : `${formatCount(result.files)} files, ${formatBytes(result.bytes)}; ${describeHealth(result.validation)}`;
      notify(`Ingested ${result.service}/${result.version}: ${what}.`, result.validation.files_with_errors > 0 ? 'info' : 'success');
      onClose(true);
    }, () => {});
  };

  return (
    <form className="policy ingest" aria-label="Ingest a folder" onSubmit={submit}>
      <span className="field grow">
        <label htmlFor={`${id}-source`}>Folder, archive or URL</label>
        <input id={`${id}-source`} value={source} onChange={(e) => setSource(e.target.value)} placeholder="/downloads/go or https://…" required />
      </span>
      <span className="field">
        <label htmlFor={`${id}-service`}>Service</label>
        <input id={`${id}-service`} value={service} onChange={(e) => setService(e.target.value)} placeholder="go" required
          aria-invalid={serviceProblem !== null} />
      </span>
      <span className="field">
        <label htmlFor={`${id}-version`}>Version</label>
        <input id={`${id}-version`} value={version} onChange={(e) => setVersion(e.target.value)} required aria-invalid={versionProblem !== null} />
      </span>
      {(serviceProblem ?? versionProblem) && <p className="error-text" role="status">{serviceProblem ?? versionProblem}</p>}
      <label className="check"><input type="checkbox" checked={setLatest} onChange={(e) => setSetLatest(e.target.checked)} /> Set as latest</label>
      <button type="submit" className="primary" disabled={invalid || ingest.pending}>{ingest.pending ? 'Ingesting…' : 'Ingest'}</button>
      <button type="button" onClick={() => onClose(false)} disabled={ingest.pending}>Close</button>
      {ingest.pending && <JobProgressBar label="Ingest progress" progress={progress} />}
      {ingest.error && (ingest.error.code === 'CANCELLED' ? <p className="muted" role="status">Ingest cancelled; nothing was added.</p>
        : <p className="error-text" role="alert">{ingest.error.message} <code className="mono">{ingest.error.code}</code></p>)}
    </form>
  );
}
