/**
 * Ingest: runs `ingest:run` for a folder, archive or URL, with the progress of each phase.
 *
 * The service is picked from the catalog's services or typed as a new one, which is
 * confirmed before anything is written; names are checked as typed with the contract's
 * own rule. In Electron the source comes from the system picker; the web host cannot
 * learn a local path, so there the path is typed. "Set as latest" starts unchecked, as
 * in the CLI. When done, a toast (and the page) link to the delta against the version
 * released just before (release order), or to the version when it is the service's first.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { IngestResult } from '../../../electron/shared/contract.js';
import type { SourceKind } from '../../../electron/shared/api-protocol.js';
import { nameProblem } from '../../../electron/shared/name-rules.js';
import { describeHealth } from '../../../electron/shared/validation-health.js';
import { RoleHint, useRefusal } from '../api/access.js';
import { useApi, useMutation, useQuery } from '../api/api-context.js';
import { invoke } from '../api/invoke.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { PhasedProgress, usePhasedJob } from '../components/phased-progress.js';
import { useToast } from '../components/toast.js';
import { formatBytes, formatCount, formatCountOf, localDay } from '../lib/format.js';
import { ServiceCombobox } from './service-combobox.js';

/** Where "open the result" leads: the delta against the previous release, or the version. */
export interface IngestOutcome {
  readonly result: IngestResult;
  readonly previous: string | null;
  readonly to: string;
  readonly linkLabel: string;
}

/** A link on the Catalog page to the ingest page, for the selected service if any. */
export function IngestButton({ service }: { service?: string }): ReactNode {
  const info = useQuery('catalog:info', {}, []);
  // A role that may not ingest does not see the way in (the page itself says why).
  const refusal = useRefusal('ingest:run');
  if (!info.data || info.data.read_only || refusal) return null;
  return <Link className="button" to={service ? `/ingest?service=${encodeURIComponent(service)}` : '/ingest'}>Ingest…</Link>;
}

function summary(result: IngestResult): string {
  if (result.status === 'unchanged') return 'already in the catalog, unchanged';
  if (result.restored_on_disk !== undefined) return `already in the catalog; put back ${formatCountOf(result.restored_on_disk, 'file')} not on disk as recorded`;
  return `${formatCountOf(result.files, 'file')}, ${formatBytes(result.bytes)}; ${describeHealth(result.validation)}`;
}

/** `/ingest?service=S` */
export function IngestPage(): ReactNode {
  const id = useId();
  const { bridge } = useApi();
  const notify = useToast();
  const [params] = useSearchParams();
  const info = useQuery('catalog:info', {}, []);
  const services = useQuery('services:list', {}, []);
  const [source, setSource] = useState('');
  const [service, setService] = useState(() => params.get('service') ?? '');
  // Today in the curator's time zone: UTC's day was tomorrow in Los Angeles each evening.
  const [version, setVersion] = useState(() => localDay(new Date()));
  const [setLatest, setSetLatest] = useState(false);
  const [confirmNew, setConfirmNew] = useState(false);
  const [outcome, setOutcome] = useState<IngestOutcome | null>(null);
  const [pickError, setPickError] = useState<string | null>(null);
  const ingest = useMutation('ingest:run');
  const job = usePhasedJob('ingest', ingest.pending, ingest.requestId);
  const versions = useQuery('versions:list', service && !nameProblem('service', service)
    ? { service, sort: 'release', direction: 'desc', limit: 1000 } : null, [service]);

  const name = service.trim();
  const existing = services.data?.find((s) => s.service === name) ?? null;
  const serviceProblem = name === '' ? null : nameProblem('service', name);
  const versionProblem = nameProblem('version', version);
  const versionTaken = existing !== null && (versions.data?.items ?? []).some((v) => v.version === version);
  const invalid = !source.trim() || name === '' || serviceProblem !== null || versionProblem !== null;

  const run = (): void => {
    setOutcome(null);
    ingest.run({ source: source.trim(), service: name, version, set_latest: setLatest }).then(async (result) => {
      // The previous version by release order, read after the ingest placed this one.
      const ref = `${result.service}/${result.version}`;
      const asked = await invoke(bridge, 'versions:previous', { ref });
      const previous = asked.ok ? asked.data.previous : null;
      const next: IngestOutcome = previous
        ? { result, previous, to: `/delta?from=${encodeURIComponent(previous)}&to=${encodeURIComponent(ref)}`, linkLabel: `Open delta from ${previous}` }
        : { result, previous: null, to: `/versions/${result.service}/${result.version}`, linkLabel: `Open ${ref}` };
      setOutcome(next);
      notify(`Ingested ${ref}: ${summary(result)}.`, result.validation.files_with_errors > 0 ? 'info' : 'success', { label: next.linkLabel, to: next.to });
      services.refetch();
    }, () => { /* the error shows on the page */ });
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (invalid || ingest.pending) return;
    if (!existing) setConfirmNew(true);
    else run();
  };

  const pick = (kind: SourceKind): void => {
    setPickError(null);
    bridge.pickSource?.(kind).then((picked) => { if (picked) setSource(picked); }, (error: Error) => setPickError(error.message));
  };

  if (info.data?.read_only) {
    return (
      <section className="page" aria-labelledby="ingest-title">
        <h1 id="ingest-title">Ingest</h1>
        <p role="status">The catalog is open read-only (another process holds the writer lock), so nothing can be ingested here.</p>
      </section>
    );
  }

  const busy = ingest.pending;
  const serviceNote = serviceProblem
    ? <span className="error-text">{serviceProblem}</span>
    : name === '' ? <span className="muted">Pick one of the catalog’s services, or type a new name.</span>
      : existing ? <span className="muted">Existing service: {formatCount(existing.versions)} version{existing.versions === 1 ? '' : 's'}{existing.latest ? `, latest ${existing.latest}` : ', no latest yet'}.</span>
        : services.data ? <span className="warn-text">New service: you will be asked to confirm before it is created.</span> : null;
  return (
    <section className="page" aria-labelledby="ingest-title">
      <header className="page-header">
        <h1 id="ingest-title">Ingest</h1>
      </header>
      <form className="ingest-form" aria-label="Ingest a folder" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-source`}>Folder, archive or URL</label>
          <div className="field-row">
            <input id={`${id}-source`} value={source} onChange={(e) => setSource(e.target.value)} disabled={busy} required spellCheck={false}
              placeholder={bridge.pickSource ? 'Choose a folder or an archive, or type a path or URL' : '/downloads/go or https://…'}
              aria-describedby={`${id}-source-note`} className="mono" />
            {bridge.pickSource && <>
              <button type="button" onClick={() => pick('folder')} disabled={busy}>Choose folder…</button>
              <button type="button" onClick={() => pick('archive')} disabled={busy}>Choose archive…</button>
            </>}
          </div>
          <p id={`${id}-source-note`} className="hint muted small">
            {bridge.pickSource
              ? 'A folder, or a .zip, .tar, .tar.gz/.tgz, .tar.xz or .gz archive; an http(s) URL is downloaded first.'
              : <>In the browser there is no folder picker: type the path of a folder or archive on the machine that runs
                {' '}<code>ontocat serve</code>{info.data ? <> (its catalog is <span className="mono">{info.data.root}</span>)</> : null}, or an http(s) URL.</>}
          </p>
          {pickError && <p className="error-text" role="alert">The picker failed: {pickError}</p>}
        </div>
        <div className="field">
          <ServiceCombobox label="Service" value={service} services={services.data ?? []} onChange={setService} disabled={busy}
            invalid={serviceProblem !== null} describedBy={`${id}-service-note`} />
          <p id={`${id}-service-note`} className="hint small" aria-live="polite">{serviceNote}</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-version`}>Version</label>
          <input id={`${id}-version`} value={version} onChange={(e) => setVersion(e.target.value)} required disabled={busy}
            aria-invalid={versionProblem !== null || undefined} aria-describedby={`${id}-version-note`} />
          <p id={`${id}-version-note`} className="hint small" aria-live="polite">
            {versionProblem ? <span className="error-text">{versionProblem}</span>
              : versionTaken ? <span className="warn-text">{name}/{version} is already in the catalog: identical content changes nothing, different content is refused.</span>
                : <span className="muted">The release’s own name (e.g. 2024-05-01 or v1.2); release order is read from its files.</span>}
          </p>
        </div>
        <label className="check">
          <input type="checkbox" checked={setLatest} onChange={(e) => setSetLatest(e.target.checked)} disabled={busy} aria-describedby={`${id}-latest-note`} />
          {' '}Set as latest
        </label>
        <p id={`${id}-latest-note`} className="hint muted small">Off by default, as in the CLI: the latest pointer moves only when you say so (you can set it later from the Catalog).</p>
        <div className="ingest-actions">
          <button type="submit" className="primary" disabled={invalid || busy || ingest.refusal !== null}>{busy ? 'Ingesting…' : 'Ingest'}</button>
          <RoleHint refusal={ingest.refusal} />
        </div>
      </form>
      {(busy || job) && <PhasedProgress label="Ingest progress" job={job} running={busy} />}
      {ingest.error && (ingest.error.code === 'CANCELLED' ? <p className="muted" role="status">Ingest cancelled; nothing was added.</p>
        : <p className="error-text" role="alert">{ingest.error.message} <code className="mono">{ingest.error.code}</code></p>)}
      {outcome && !busy && (
        <div className="ingest-result" role="status" aria-label="Ingest result">
          <p>Ingested <strong>{outcome.result.service}/{outcome.result.version}</strong>: {summary(outcome.result)}.
            {outcome.result.set_latest && ' It is now the latest.'}</p>
          <p><Link to={outcome.to}>{outcome.linkLabel}</Link>
            {outcome.previous === null && <span className="muted"> (the first version of {outcome.result.service})</span>}</p>
        </div>
      )}
      {confirmNew && (
        <ConfirmDialog title={`Create new service ${name}?`} confirmLabel="Create and ingest"
          onCancel={() => setConfirmNew(false)} onConfirm={() => { setConfirmNew(false); run(); }}>
          <p>No service named <strong>{name}</strong> is in this catalog. Ingesting creates it, with <strong>{version}</strong> as its first version.</p>
          <p className="muted">Check the spelling: a typo makes a second service instead of a new version of an existing one.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
