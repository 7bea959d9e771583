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

/** The list for `value`: matching services, then the typed name as a new one when no service has it. */
function optionsFor(services: readonly ServiceSummary[], value: string): Option[] {
  const matches: Option[] = filterServices(services, value).map((s) => ({ value: s.service, existing: s }));
  const typed = value.trim();
  if (typed && !services.some((s) => s.service === typed)) matches.push({ value: typed, existing: null });
  return matches;
}

const optionKey = (option: Option): string => `${option.existing ? 'existing' : 'new'}-${option.value}`;

/** Arrow keys move through the list, Enter picks, Escape closes it (then clears), Tab leaves. */
export function ServiceCombobox({ label, value, services, onChange, disabled, invalid, describedBy }: ServiceComboboxProps): ReactNode {
  const id = useId();
  const listId = `${id}-list`;
  const [open, setOpen] = useState(false);
  // The highlighted option by its key, not its place: the services are read again when the
  // catalog changes, and one added above moved the highlight onto it (Enter then picked it).
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const options = useMemo(() => optionsFor(services, value), [services, value]);
  const expanded = open && options.length > 0 && !disabled;
  const active = activeKey === null ? -1 : options.findIndex((option) => optionKey(option) === activeKey);
  const activeOption = expanded && active >= 0 ? options[active] : undefined;
  const setActive = (index: number): void => {
    const option = options[index];
    setActiveKey(option ? optionKey(option) : null);
  };

  const pick = (option: Option): void => {
    onChange(option.value);
    setOpen(false);
    setActiveKey(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    switch (event.key) {
      case 'ArrowDown':
        if (!expanded) { setOpen(true); setActive(0); } else setActive(Math.min(options.length - 1, active + 1));
        break;
      case 'ArrowUp':
        if (expanded) setActive(Math.max(0, active - 1));
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
          const first = event.target.value.trim() ? optionsFor(services, event.target.value)[0] : undefined;
          setActiveKey(first ? optionKey(first) : null);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown} />
      <ul id={listId} role="listbox" aria-label={`${label} suggestions`} className="combobox-list" hidden={!expanded}>
        {options.map((option, index) => (
          <li key={optionKey(option)} id={`${listId}-${index}`} role="option"
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
