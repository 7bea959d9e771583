/**
 * Sources: what fills the catalog by itself. The list shows each source's last run, next
 * scheduled run and health; a source can be added, edited, paused and checked now (a job
 * with progress), and its run history opens with each run's manifest.
 */
import { RoleHint } from '../api/access.js';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { ArtifactSpec, RunRecord, SourceSpec, SourceSummary } from '../../../electron/shared/contract/sources.js';
import { useMutation, useQuery } from '../api/api-context.js';
import { JobProgressBar, useJobProgress } from '../components/job-progress.js';
import { EmptyState, ErrorState, Skeleton } from '../components/states.js';
import { useToast } from '../components/toast.js';
import { formatDate, formatDay } from '../lib/format.js';

function artifactText(artifact: ArtifactSpec): string {
  const named = artifact.name ? ` → ${artifact.name}` : '';
  if (artifact.type === 'url') return `${artifact.url}${named}`;
  if (artifact.type === 'npm') return `npm ${artifact.package}${named}`;
  return `${artifact.template}${named}`;
}

function healthText(source: SourceSummary): ReactNode {
  const parts: ReactNode[] = [];
  if (source.health.overdue) parts.push(<span key="o" className="badge badge-warn">overdue</span>);
  if (source.health.consecutive_failures > 0) parts.push(<span key="f" className="badge badge-bad">{source.health.consecutive_failures} failed</span>);
  if (parts.length === 0) parts.push(<span key="ok">ok</span>);
  if (source.health.cadence_days !== null) parts.push(<span key="c" className="muted small"> · every ~{source.health.cadence_days} d</span>);
  if (source.health.next_release_due !== null) {
    parts.push(<span key="d" className="muted small"> · {source.health.overdue ? 'was expected' : 'next expected'} {formatDay(source.health.next_release_due)}</span>);
  }
  return parts;
}

/**
 * One artifact row of the form; a template artifact is kept as it is (edited in the sources
 * file), and so is an npm artifact's registry, which the form does not show.
 */
type ArtifactDraft = { kind: 'url' | 'npm'; target: string; name: string; registry?: string } | { kind: 'template'; spec: ArtifactSpec };

/**
 * The webhook in the form. Its URL is a secret the form never holds (who may not edit
 * sources never receives it): `keep` saves with the source's own (keep_webhook), `remove`
 * saves without one, `new` saves the URL typed (none when blank).
 */
type WebhookDraft = { kind: 'keep' } | { kind: 'remove' } | { kind: 'new'; url: string };

/**
 * What the form edits, and `kept`: what it does not show (paused or not, the size cap),
 * sent back as the source has it; saving a note once resumed a paused source and dropped
 * its webhook and size cap.
 */
interface Draft {
  id: string; service: string; artifacts: ArtifactDraft[]; schedule: string; rule: NonNullable<SourceSpec['version_rule']>; promotion: 'manual' | 'auto'; note: string;
  kept: Pick<SourceSpec, 'enabled' | 'max_bytes'>;
  webhook: WebhookDraft;
  /** The scheme and host of the webhook the source has (null: none). */
  webhookOrigin: string | null;
  /** When the edited source last changed (null: a new one): saving refuses if it changed since. */
  updatedAt: string | null;
}

const emptyArtifact = (): ArtifactDraft => ({ kind: 'url', target: '', name: '' });
const emptyDraft: Draft = {
  id: '', service: '', artifacts: [emptyArtifact()], schedule: '', rule: 'auto', promotion: 'manual', note: '', kept: {},
  webhook: { kind: 'new', url: '' }, webhookOrigin: null, updatedAt: null,
};

function artifactDraftOf(artifact: ArtifactSpec): ArtifactDraft {
  if (artifact.type === 'url') return { kind: 'url', target: artifact.url, name: artifact.name ?? '' };
  if (artifact.type === 'npm') return { kind: 'npm', target: artifact.package, name: artifact.name ?? '', ...(artifact.registry ? { registry: artifact.registry } : {}) };
  return { kind: 'template', spec: artifact };
}

function specOfArtifact(draft: ArtifactDraft): ArtifactSpec {
  if (draft.kind === 'template') return draft.spec;
  const name = draft.name.trim() ? { name: draft.name.trim() } : {};
  const registry = draft.registry ? { registry: draft.registry } : {};
  return draft.kind === 'npm' ? { type: 'npm', package: draft.target.trim(), ...registry, ...name } : { type: 'url', url: draft.target.trim(), ...name };
}

function draftOf(source: SourceSummary): Draft {
  const { max_bytes: maxBytes } = source.spec;
  return {
    id: source.id, service: source.service, artifacts: source.spec.artifacts.map(artifactDraftOf),
    schedule: source.spec.schedule ?? '', rule: source.spec.version_rule ?? 'auto', promotion: source.spec.promotion ?? 'manual', note: source.spec.note ?? '',
    kept: { enabled: source.enabled, ...(maxBytes !== undefined ? { max_bytes: maxBytes } : {}) },
    webhook: source.webhook_set ? { kind: 'keep' } : { kind: 'new', url: '' }, webhookOrigin: source.webhook_origin,
    updatedAt: source.updated_at,
  };
}

/** Most artifacts the form offers (the contract's limit). */
const MAX_FORM_ARTIFACTS = 20;

function ArtifactRows({ artifacts, onChange }: { artifacts: ArtifactDraft[]; onChange: (next: ArtifactDraft[]) => void }): ReactNode {
  const update = (index: number, next: ArtifactDraft): void => onChange(artifacts.map((artifact, i) => (i === index ? next : artifact)));
  const several = artifacts.length > 1;
  return (
    <fieldset className="artifacts">
      <legend>Artifacts <span className="muted small">— one release is all of them; the first that states a version names it</span></legend>
      <ol>
        {artifacts.map((artifact, index) => {
          const n = index + 1;
          return (
            <li key={index}>
              {artifact.kind === 'template' ? <span className="mono small">{artifactText(artifact.spec)} <span className="muted">(template: edit it in the sources file)</span></span> : (
                <>
                  <span className="field"><label htmlFor={`src-kind-${n}`}>{several ? `Artifact ${n} kind` : 'Artifact'}</label>
                    <select id={`src-kind-${n}`} value={artifact.kind} onChange={(e) => update(index, { ...artifact, kind: e.target.value as 'url' | 'npm' })}>
                      <option value="url">URL</option><option value="npm">npm package</option>
                    </select></span>
                  <span className="field"><label htmlFor={`src-target-${n}`}>{several ? `Artifact ${n} ` : ''}{artifact.kind === 'npm' ? 'Package' : 'URL'}</label>
                    <input id={`src-target-${n}`} required size={40} value={artifact.target} onChange={(e) => update(index, { ...artifact, target: e.target.value })} /></span>
                  <span className="field"><label htmlFor={`src-name-${n}`}>{several ? `Artifact ${n} file name` : 'File name'} <span className="muted small">(optional)</span></label>
                    <input id={`src-name-${n}`} size={16} value={artifact.name} onChange={(e) => update(index, { ...artifact, name: e.target.value })} /></span>
                </>
              )}
              {index > 0 && <button type="button" aria-label={`Move artifact ${n} up`} onClick={() => onChange(artifacts.map((a, i) => (i === index - 1 ? artifacts[index]! : i === index ? artifacts[index - 1]! : a)))}>↑</button>}
              {several && <button type="button" aria-label={`Remove artifact ${n}`} onClick={() => onChange(artifacts.filter((_, i) => i !== index))}>Remove</button>}
            </li>
          );
        })}
      </ol>
      <button type="button" disabled={artifacts.length >= MAX_FORM_ARTIFACTS} onClick={() => onChange([...artifacts, emptyArtifact()])}>Add artifact</button>
    </fieldset>
  );
}

/** The webhook's part of the form: the one the source has is shown by scheme and host only, kept unless replaced or removed. */
function WebhookField({ draft, origin, onChange }: { draft: WebhookDraft; origin: string | null; onChange: (next: WebhookDraft) => void }): ReactNode {
  if (draft.kind === 'new') {
    return (
      <span className="field"><label htmlFor="src-webhook">Webhook <span className="muted small">(optional)</span></label>
        <input id="src-webhook" type="url" size={40} placeholder="https://hooks.example.org/…" value={draft.url} onChange={(e) => onChange({ kind: 'new', url: e.target.value })} />
        {origin !== null && <button type="button" onClick={() => onChange({ kind: 'keep' })}>Keep current webhook</button>}
      </span>
    );
  }
  return (
    <span className="field" role="group" aria-label="Webhook">
      <span>Webhook</span>
      {draft.kind === 'keep'
        ? <span><span className="mono small">{origin}</span> <span className="muted small">(kept; the URL is not shown)</span></span>
        : <span className="muted small">Removed when saved</span>}
      {draft.kind === 'keep'
        ? <><button type="button" onClick={() => onChange({ kind: 'new', url: '' })}>Replace webhook</button><button type="button" onClick={() => onChange({ kind: 'remove' })}>Remove webhook</button></>
        : <button type="button" onClick={() => onChange({ kind: 'keep' })}>Keep webhook</button>}
    </span>
  );
}

function SourceForm({ initial, onDone }: { initial: Draft; onDone: () => void }): ReactNode {
  const [draft, setDraft] = useState(initial);
  const save = useMutation('sources:save');
  const zone = useQuery('catalog:info', {}, []).data?.time_zone;
  const toast = useToast();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft((d) => ({ ...d, [key]: value }));
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const spec: SourceSpec = {
      ...draft.kept,
      id: draft.id.trim(), service: draft.service.trim(), artifacts: draft.artifacts.map(specOfArtifact), schedule: draft.schedule.trim() || null,
      version_rule: draft.rule, promotion: draft.promotion, ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
      ...(draft.webhook.kind === 'new' && draft.webhook.url.trim() ? { webhook: draft.webhook.url.trim() } : {}),
    };
    // Replace clicked but nothing typed keeps the webhook: only Remove removes it.
    const blankReplace = draft.webhook.kind === 'new' && !draft.webhook.url.trim() && draft.webhookOrigin !== null;
    const keep = draft.webhook.kind === 'keep' || blankReplace ? { keep_webhook: true } : {};
    save.run({ spec, ...keep, ...(initial.updatedAt === null ? { create: true } : { expected_updated_at: initial.updatedAt }) }).then(() => { toast(`Saved source ${spec.id}.`, 'success'); onDone(); }).catch(() => undefined);
  };
  return (
    <form className="policy" aria-label="Source" onSubmit={submit}>
      <span className="field"><label htmlFor="src-id">Source id</label><input id="src-id" required value={draft.id} disabled={initial.id !== ''} onChange={(e) => set('id', e.target.value)} /></span>
      <span className="field"><label htmlFor="src-service">Service</label><input id="src-service" required value={draft.service} onChange={(e) => set('service', e.target.value)} /></span>
      <ArtifactRows artifacts={draft.artifacts} onChange={(next) => set('artifacts', next)} />
      <span className="field"><label htmlFor="src-schedule">Schedule (cron){zone && <span className="muted small"> in {zone}</span>}</label><input id="src-schedule" placeholder="0 3 * * *" value={draft.schedule} onChange={(e) => set('schedule', e.target.value)} /></span>
      <span className="field"><label htmlFor="src-rule">Version rule</label>
        <select id="src-rule" value={draft.rule} onChange={(e) => set('rule', e.target.value as Draft['rule'])}>
          <option value="auto">auto</option><option value="resolver">resolver</option><option value="content">content</option><option value="last-modified">Last-Modified</option><option value="retrieval-date">retrieval date</option>
        </select></span>
      <span className="field"><label htmlFor="src-promotion">Promotion</label>
        <select id="src-promotion" value={draft.promotion} onChange={(e) => set('promotion', e.target.value as Draft['promotion'])}><option value="manual">manual</option><option value="auto">auto (no NEW ERROR)</option></select></span>
      <span className="field"><label htmlFor="src-note">Note</label><input id="src-note" value={draft.note} onChange={(e) => set('note', e.target.value)} /></span>
      <WebhookField draft={draft.webhook} origin={draft.webhookOrigin} onChange={(next) => set('webhook', next)} />
      <button type="submit" disabled={save.pending || save.refusal !== null}>{save.pending ? 'Saving…' : 'Save source'}</button>
      <RoleHint refusal={save.refusal} />
      <button type="button" onClick={onDone}>Cancel</button>
      {save.error && <p className="error-text" role="alert">{save.error.message}</p>}
    </form>
  );
}

function RunHistory({ id }: { id: string }): ReactNode {
  const runs = useQuery('sources:runs', { id, limit: 20 }, [id]);
  const [open, setOpen] = useState<string | null>(null);
  if (runs.error) return <ErrorState error={runs.error} onRetry={runs.refetch} />;
  if (!runs.data) return <Skeleton rows={3} label="Loading runs" />;
  if (runs.data.items.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <table className="data-table" aria-label={`Runs of ${id}`}>
      <thead><tr><th scope="col">Started</th><th scope="col">Trigger</th><th scope="col">Status</th><th scope="col">Version</th><th scope="col">Detail</th><th scope="col">Manifest</th></tr></thead>
      <tbody>
        {runs.data.items.map((run: RunRecord) => (
          <tr key={run.run_id}>
            <td>{formatDate(run.started_at)}</td><td>{run.trigger}</td><td>{run.status}</td><td>{run.version ?? '-'}</td>
            <td>{run.error_message ?? run.manifest.output?.reason ?? run.manifest.output?.version_rule?.evidence ?? ''}</td>
            <td>
              <button type="button" aria-expanded={open === run.run_id} onClick={() => setOpen(open === run.run_id ? null : run.run_id)}>{open === run.run_id ? 'Hide' : 'Show'}</button>
              {open === run.run_id && <pre className="mono small">{JSON.stringify(run.manifest, null, 2)}</pre>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `/sources` */
export function SourcesPage(): ReactNode {
  const sources = useQuery('sources:list', {}, []);
  const zone = useQuery('catalog:info', {}, []).data?.time_zone;
  const sync = useMutation('sources:sync');
  const enable = useMutation('sources:set-enabled');
  const toast = useToast();
  const [editing, setEditing] = useState<Draft | null>(null);
  const [checking, setChecking] = useState<string | null>(null);
  const [history, setHistory] = useState<string | null>(null);
  const progress = useJobProgress('sync', checking !== null, sync.requestId);

  const checkNow = (id: string): void => {
    setChecking(id);
    sync.run({ ids: [id] }).then((result) => {
      const run = result.runs[0];
      // An auto-promoting source may have made it the latest already: "awaiting review" was then wrong.
      const promotion = run?.manifest.output?.promotion ?? null;
      const changed = !run ? '' : promotion?.promoted ? `${id}: new version ${run.version} is now the latest ${run.manifest.output?.service ?? ''} (${promotion.reason}).`
        : `${id}: new version ${run.version}, awaiting review${promotion ? ` (${promotion.reason})` : ''}.`;
      toast(run?.status === 'changed' ? changed : `${id}: ${run?.status ?? 'done'}${run?.error_message ? ` — ${run.error_message}` : ''}.`, run?.status === 'failed' ? 'error' : 'success');
      setHistory(id);
    }).catch(() => undefined).finally(() => { setChecking(null); sources.refetch(); });
  };

  return (
    <section className="page" aria-labelledby="sources-title">
      <header className="page-header">
        <h1 id="sources-title">Sources</h1>
        <button type="button" onClick={() => setEditing(emptyDraft)}>Add source</button>
      </header>
      {/* Keyed: Edit while another source's (or the Add) form is open showed that form's fields under
          the new source, and Edit again after another client's change kept the old fields. */}
      {editing && <SourceForm key={editing.updatedAt === null ? 'new' : `edit:${editing.id}:${editing.updatedAt}`} initial={editing} onDone={() => { setEditing(null); sources.refetch(); }} />}
      {checking && <JobProgressBar label={`Checking ${checking}`} progress={progress} />}
      {sync.error && <p className="error-text" role="alert">{sync.error.message}</p>}
      {sources.error ? <ErrorState error={sources.error} onRetry={sources.refetch} /> : !sources.data ? <Skeleton label="Loading sources" /> : (
        sources.data.length === 0 ? <EmptyState title="No sources yet"><p>Add a source, or import a sources file with <code className="mono">ontocat sources import FILE</code>.</p></EmptyState> : (
          <table className="data-table" aria-label="Sources">
            <thead><tr>
              <th scope="col">Source</th><th scope="col">Service</th><th scope="col">Artifacts</th><th scope="col">Schedule{zone && <span className="muted small"> ({zone})</span>}</th><th scope="col">Last run</th>
              <th scope="col">Last change</th><th scope="col">Next run</th><th scope="col">Health</th><th scope="col" className="num">Pending</th><th scope="col">Actions</th>
            </tr></thead>
            <tbody>
              {sources.data.map((source) => (
                <tr key={source.id}>
                  <th scope="row">{source.id}</th>
                  <td>{source.service}</td>
                  <td className="mono small">
                    {source.spec.artifacts.length === 1 ? artifactText(source.spec.artifacts[0]!) : (
                      <ol className="plain-list">{source.spec.artifacts.map((artifact, i) => <li key={i}>{artifactText(artifact)}</li>)}</ol>
                    )}
                  </td>
                  <td>{source.enabled ? source.spec.schedule ?? 'manual' : <span className="badge">paused</span>}</td>
                  <td>{source.last_run ? `${source.last_run.status} · ${formatDate(source.last_run.started_at)}` : '-'}</td>
                  <td>{formatDate(source.health.last_changed)}</td>
                  <td>{formatDate(source.next_run)}</td>
                  <td>{healthText(source)}</td>
                  <td className="num">{source.pending_candidates}</td>
                  <td className="actions">
                    <button type="button" disabled={checking !== null || sync.refusal !== null} title={sync.refusal ?? undefined} onClick={() => checkNow(source.id)}>Check now</button>
                    <button type="button" onClick={() => setEditing(draftOf(source))}>Edit</button>
                    <button type="button" disabled={enable.pending} onClick={() => { enable.run({ id: source.id, enabled: !source.enabled }).then(() => sources.refetch()).catch(() => undefined); }}>
                      {source.enabled ? 'Pause' : 'Resume'}
                    </button>
                    <button type="button" aria-expanded={history === source.id} onClick={() => setHistory(history === source.id ? null : source.id)}>Runs</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
      {history && <><h2>Runs of {history}</h2><RunHistory key={`${history}-${checking ?? ''}`} id={history} /></>}
    </section>
  );
}
