/**
 * The service field of the ingest form: a combobox (ARIA 1.2 pattern, list autocomplete)
 * over the catalog's services, where typing filters the list and a name that is not in
 * it is offered as a new service.
 */
import { useId, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ServiceSummary } from '../../../electron/shared/contract.js';
import { formatCount } from '../lib/format.js';

export interface ServiceComboboxProps {
  readonly label: string;
  readonly value: string;
  readonly services: readonly ServiceSummary[];
  readonly onChange: (value: string) => void;
  readonly disabled?: boolean;
  readonly invalid?: boolean;
  /** Id of the element that explains the current value (existing, new, or why invalid). */
  readonly describedBy?: string;
}

interface Option { readonly value: string; readonly existing: ServiceSummary | null }

/** Services whose name starts with the text first, then those that contain it. */
export function filterServices(services: readonly ServiceSummary[], text: string): ServiceSummary[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [...services];
  const starts = services.filter((s) => s.service.toLowerCase().startsWith(needle));
  const contains = services.filter((s) => !s.service.toLowerCase().startsWith(needle) && s.service.toLowerCase().includes(needle));
  return [...starts, ...contains];
}

/** Arrow keys move through the list, Enter picks, Escape closes it (then clears), Tab leaves. */
export function ServiceCombobox({ label, value, services, onChange, disabled, invalid, describedBy }: ServiceComboboxProps): ReactNode {
  const id = useId();
  const listId = `${id}-list`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const options = useMemo<Option[]>(() => {
    const matches: Option[] = filterServices(services, value).map((s) => ({ value: s.service, existing: s }));
    const typed = value.trim();
    if (typed && !services.some((s) => s.service === typed)) matches.push({ value: typed, existing: null });
    return matches;
  }, [services, value]);
  const expanded = open && options.length > 0 && !disabled;
  const activeOption = expanded && active >= 0 ? options[active] : undefined;

  const pick = (option: Option): void => {
    onChange(option.value);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    switch (event.key) {
      case 'ArrowDown':
        if (!expanded) { setOpen(true); setActive(0); } else setActive((i) => Math.min(options.length - 1, i + 1));
        break;
      case 'ArrowUp':
        if (expanded) setActive((i) => Math.max(0, i - 1));
        break;
      case 'Enter':
        if (!activeOption) return; // the form submits
        pick(activeOption);
        break;
      case 'Escape':
        if (expanded) setOpen(false);
        else if (value) onChange('');
        else return;
        break;
      case 'Tab':
        setOpen(false);
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div className="combobox">
      <label htmlFor={id}>{label}</label>
      <input id={id} role="combobox" type="text" autoComplete="off" spellCheck={false} value={value} disabled={disabled}
        aria-autocomplete="list" aria-expanded={expanded} aria-controls={listId} aria-invalid={invalid || undefined}
        aria-describedby={describedBy} aria-activedescendant={activeOption ? `${listId}-${active}` : undefined}
        placeholder="Choose or type a name"
        onChange={(event) => {
          onChange(event.target.value);
          setOpen(true);
          // Type-ahead: the first match is highlighted, so Enter takes it.
          setActive(event.target.value.trim() ? 0 : -1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown} />
      <ul id={listId} role="listbox" aria-label={`${label} suggestions`} className="combobox-list" hidden={!expanded}>
        {options.map((option, index) => (
          <li key={`${option.existing ? 'existing' : 'new'}-${option.value}`} id={`${listId}-${index}`} role="option"
            aria-selected={index === active}
            // mousedown, not click: the input's blur would close the list first.
            onMouseDown={(event) => { event.preventDefault(); pick(option); }}>
            <span>{option.existing ? option.value : <>New service “{option.value}”</>}</span>
            <span className="option-note">{option.existing
              ? `${formatCount(option.existing.versions)} version${option.existing.versions === 1 ? '' : 's'}${option.existing.latest ? ` · latest ${option.existing.latest}` : ''}`
              : 'create'}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
