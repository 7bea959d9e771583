/**
 * A dense table over rows already sorted and paged by the catalog.
 *
 * TanStack Table lays out the columns and cells; sorting is manual (a click asks the page
 * for a new sort, which goes to DuckDB). Rows are focusable; Enter or a click activates one
 * and arrow keys move between rows. A click on a link, button or field inside a row does
 * only what that control does: the row is not also activated.
 */
import { createColumnHelper, tableFeatures, useTable, type RowData } from '@tanstack/react-table';
import { useMemo, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';

export interface DataColumn<T> {
  readonly id: string;
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  /** The server-side sort key; present when the column is sortable. */
  readonly sortKey?: string;
  readonly align?: 'left' | 'right';
  readonly className?: string;
}

export interface SortState { readonly key: string; readonly direction: 'asc' | 'desc' }

export interface DataTableProps<T> {
  readonly label: string;
  readonly columns: readonly DataColumn<T>[];
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
  readonly rowLabel?: (row: T) => string;
  readonly onActivate?: (row: T) => void;
  readonly selectedKey?: string | null;
  readonly sort?: SortState;
  readonly onSort?: (sort: SortState) => void;
  /** The rows shown are the last answer while another page, sort or filter loads. */
  readonly busy?: boolean;
}

const features = tableFeatures({});

function moveFocus(event: KeyboardEvent<HTMLTableRowElement>): void {
  const target = event.key === 'ArrowDown' ? event.currentTarget.nextElementSibling
    : event.key === 'ArrowUp' ? event.currentTarget.previousElementSibling : null;
  if (target instanceof HTMLElement) { event.preventDefault(); target.focus(); }
}

const CONTROLS = 'a[href], button, input, select, textarea, label, summary, [role="button"], [role="link"], [role="checkbox"]';

/**
 * Whether a click on a row landed on a control inside it. Activating the row as well made a
 * link in a row open the row's own target instead (Validation opened the version) or push a
 * second history entry for the same place (Version), so Back needed two presses.
 */
function clickedControl(event: MouseEvent<HTMLTableRowElement>): boolean {
  const control = event.target instanceof Element ? event.target.closest(CONTROLS) : null;
  return control !== null && control !== event.currentTarget && event.currentTarget.contains(control);
}

/** Renders the table; see the module comment for keyboard behaviour. */
export function DataTable<T extends RowData>(props: DataTableProps<T>): ReactNode {
  const { columns, rows, sort, onSort } = props;
  const tableColumns = useMemo(() => {
    const helper = createColumnHelper<typeof features, T>();
    return columns.map((column) => helper.display({ id: column.id, header: column.header, cell: (info) => column.cell(info.row.original) }));
  }, [columns]);
  const data = useMemo(() => rows as T[], [rows]);
  const table = useTable({ features, columns: tableColumns, data, getRowId: (row) => props.rowKey(row) });
  const byId = new Map(columns.map((c) => [c.id, c]));

  return (
    <table className={props.busy ? 'data-table data-table-busy' : 'data-table'} aria-label={props.label} aria-busy={props.busy || undefined}>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const column = byId.get(header.column.id);
              const sorted = column?.sortKey && sort?.key === column.sortKey ? sort.direction : null;
              return (
                <th key={header.id} scope="col" className={column?.align === 'right' ? 'num' : undefined}
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                  {column?.sortKey && onSort ? (
                    <button type="button" className="sort" onClick={() => onSort({
                      key: column.sortKey as string,
                      direction: sorted === 'asc' ? 'desc' : 'asc',
                    })}>
                      {column.header}<span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                    </button>
                  ) : column?.header}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => {
          const original = row.original;
          const key = props.rowKey(original);
          const activate = props.onActivate;
          return (
            <tr key={key} tabIndex={0} aria-selected={props.selectedKey === key}
              aria-label={props.rowLabel?.(original)}
              className={props.selectedKey === key ? 'selected' : undefined}
              onClick={activate ? (event) => { if (!clickedControl(event)) activate(original); } : undefined}
              onKeyDown={(event) => {
                if (event.target !== event.currentTarget) return;
                if (event.key === 'Enter' && activate) { event.preventDefault(); activate(original); } else moveFocus(event);
              }}>
              {row.getAllCells().map((cell) => {
                const column = byId.get(cell.column.id);
                return (
                  <td key={cell.id} className={[column?.align === 'right' ? 'num' : '', column?.className ?? ''].join(' ').trim() || undefined}>
                    <table.FlexRender cell={cell} />
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
