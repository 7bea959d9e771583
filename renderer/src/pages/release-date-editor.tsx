/**
 * A version's release date with how it is known, and a control for a curator to correct it.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { describeReleaseDate, describeReleaseMove } from '../../../electron/shared/release-order.js';
import { useApi, useMutation } from '../api/api-context.js';
import { ApiError, invoke } from '../api/invoke.js';
import { useToast } from '../components/toast.js';

export interface ReleaseDateEditorProps {
  readonly versionRef: string;
  readonly releaseDate: string | null;
  readonly source: string | null;
  /** Called after a correction is saved, so the page reads the version again. */
  readonly onSaved: () => void;
}

/** "Released 2024-05-01, from HTTP Last-Modified" with a Correct… button that opens a date field. */
export function ReleaseDateEditor({ versionRef, releaseDate, source, onSaved }: ReleaseDateEditorProps): ReactNode {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(releaseDate?.slice(0, 10) ?? '');
  // The date this correction is based on: taken when the field opens, so a correction another
  // client saves meanwhile is refused rather than silently replaced. Once that refusal has been
  // shown, the date now stored becomes the basis, and the next Save replaces it on purpose.
  const [basis, setBasis] = useState<string | null>(releaseDate);
  const save = useMutation('versions:set-release');
  const { bridge } = useApi();
  const notify = useToast();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    save.run({ ref: versionRef, release_date: draft, expected_release_date: basis }).then((result) => {
      notify(`${result.ref}: release date set to ${result.release_date.slice(0, 10)}. ${result.order ? describeReleaseMove(result.ref, result.order) : 'Release order follows it.'}`, 'success');
      setEditing(false);
      onSaved();
    }, (error: unknown) => {
      // The error shows next to the field; a conflict names the date stored now.
      if (!(error instanceof ApiError) || error.code !== 'CONFLICT') return;
      // Asked now, not taken from the page: its own re-read may not have arrived yet.
      void invoke(bridge, 'versions:stats', { ref: versionRef }).then((stats) => { if (stats.ok) setBasis(stats.data.release_date); });
    });
  };

  if (!editing) {
    return (
      <p className="release-date">
        <span>Released <strong>{describeReleaseDate(releaseDate, source)}</strong></span>{' '}
        <button type="button" onClick={() => { setDraft(releaseDate?.slice(0, 10) ?? ''); setBasis(releaseDate); save.reset(); setEditing(true); }}
          aria-label={`Correct the release date of ${versionRef}`}>Correct…</button>
      </p>
    );
  }
  return (
    <form className="toolbar release-date" aria-label={`Release date of ${versionRef}`} onSubmit={submit}>
      <span className="field">
        <label htmlFor="release-date">Release date</label>
        <input id="release-date" type="date" required value={draft} onChange={(event) => setDraft(event.target.value)} />
      </span>
      <button type="submit" disabled={save.pending || draft === ''}>Save</button>
      <button type="button" onClick={() => setEditing(false)}>Cancel</button>
      <span className="muted">Now {describeReleaseDate(releaseDate, source)}. A curator&apos;s date is kept over any evidence.</span>
      {save.error && <p className="error-text" role="alert">{save.error.message}</p>}
    </form>
  );
}
