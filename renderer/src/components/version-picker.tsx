/**
 * A select of `SERVICE/VERSION` refs, newest first, loaded from `versions:list`.
 */
import { useId, type ReactNode } from 'react';
import { useQuery } from '../api/api-context.js';

export interface VersionPickerProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (ref: string) => void;
  readonly service?: string;
}

/** Labelled select; shows up to 1000 versions (a page, never the whole table). */
export function VersionPicker({ label, value, onChange, service }: VersionPickerProps): ReactNode {
  const id = useId();
  const versions = useQuery('versions:list', { service, sort: 'release', direction: 'desc', limit: 1000 }, [service]);
  const refs = (versions.data?.items ?? []).map((v) => `${v.service}/${v.version}`);
  if (value && !refs.includes(value)) refs.unshift(value);
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {!value && <option value="">Choose a version…</option>}
        {refs.map((ref) => <option key={ref} value={ref}>{ref}</option>)}
      </select>
    </span>
  );
}
