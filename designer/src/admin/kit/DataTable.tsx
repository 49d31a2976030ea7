// The one table of the admin pages (TanStack Table): sort by a column header, search, choose the
// columns shown, page. Client mode sorts, filters and pages the rows it is given; server mode hands
// the same state to the caller, who asks the API for that page and passes the total back.
// Markup is a real <table> with a caption and aria-sort; sort toggles are buttons, the column
// chooser is a <details> of checkboxes, so everything works from the keyboard.
import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type PaginationState,
  type SortingState,
  type VisibilityState,
} from '@tanstack/react-table';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from './format.ts';

/** What the server pages by: the caller turns this into the API's query string. */
export interface ServerPaging {
  readonly total: number;
  readonly pagination: PaginationState;
  readonly onPaginationChange: (next: PaginationState) => void;
  readonly search: string;
  readonly onSearchChange: (next: string) => void;
  readonly sorting: SortingState;
  readonly onSortingChange: (next: SortingState) => void;
}

export interface DataTableProps<Row> {
  /** Said by the table's caption (visually hidden) and used to name its controls. */
  readonly label: string;
  readonly columns: ColumnDef<Row>[];
  readonly rows: readonly Row[];
  readonly rowId: (row: Row) => string;
  readonly loading?: boolean;
  readonly pageSize?: number;
  /** Absent: client-side sorting, search and paging over `rows`. */
  readonly server?: ServerPaging;
  readonly testId?: string;
  /** False: no search box (the page has its own filters). */
  readonly searchable?: boolean;
}

const resolve = <T,>(updater: T | ((old: T) => T), old: T): T => (typeof updater === 'function' ? (updater as (o: T) => T)(old) : updater);

export function DataTable<Row>({ label, columns, rows, rowId, loading = false, pageSize = 25, server, testId, searchable = true }: DataTableProps<Row>) {
  const { t } = useTranslation();
  const id = useId();
  const [sorting, setSorting] = useState<SortingState>([]);
  const [search, setSearch] = useState('');
  const [pagination, setPagination] = useState<PaginationState>({ pageIndex: 0, pageSize });
  const [visibility, setVisibility] = useState<VisibilityState>({});

  const current = {
    sorting: server?.sorting ?? sorting,
    globalFilter: server?.search ?? search,
    pagination: server?.pagination ?? pagination,
    columnVisibility: visibility,
  };
  const table = useReactTable<Row>({
    data: rows as Row[],
    columns,
    getRowId: rowId,
    state: current,
    manualPagination: server !== undefined,
    manualSorting: server !== undefined,
    manualFiltering: server !== undefined,
    ...(server !== undefined ? { rowCount: server.total } : {}),
    onSortingChange: (u) => (server ? server.onSortingChange(resolve(u, current.sorting)) : setSorting(u)),
    onGlobalFilterChange: (u: unknown) => {
      const next = String(resolve(u as string, current.globalFilter) ?? '');
      if (server) server.onSearchChange(next);
      else setSearch(next);
      // A new search starts from the first page.
      const first = { ...current.pagination, pageIndex: 0 };
      if (server) server.onPaginationChange(first);
      else setPagination(first);
    },
    onPaginationChange: (u) => (server ? server.onPaginationChange(resolve(u, current.pagination)) : setPagination(u)),
    onColumnVisibilityChange: setVisibility,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
  });

  const shown = table.getRowModel().rows;
  const total = server?.total ?? table.getFilteredRowModel().rows.length;
  const pages = Math.max(1, table.getPageCount());
  const page = current.pagination.pageIndex + 1;
  const hideable = table.getAllLeafColumns().filter((c) => c.getCanHide());

  return (
    <div className="data-table" data-testid={testId}>
      <div className="data-table-tools">
        {searchable ? (
          <label className="data-table-search">
            <span className="sr-only">
              {t('common.search')} {label}
            </span>
            <input type="search" placeholder={t('common.search')} value={current.globalFilter} onChange={(e) => table.setGlobalFilter(e.target.value)} />
          </label>
        ) : null}
        {hideable.length > 1 ? (
          <details className="data-table-columns">
            <summary className="btn btn-sm">{t('table.columns')}</summary>
            <fieldset>
              <legend className="sr-only">{t('table.columns')}</legend>
              {hideable.map((c) => (
                <label key={c.id} className="check">
                  <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} />
                  {typeof c.columnDef.header === 'string' ? c.columnDef.header : c.id}
                </label>
              ))}
            </fieldset>
          </details>
        ) : null}
        <span className="muted small" aria-live="polite" id={`${id}-count`}>
          {t('table.rows', { count: total, formatted: formatNumber(total) })}
        </span>
      </div>
      <table className="table" aria-describedby={`${id}-count`} aria-busy={loading}>
        <caption className="sr-only">{label}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const title = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th key={header.id} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                    {header.isPlaceholder ? null : header.column.getCanSort() ? (
                      <button type="button" className="data-table-sort" onClick={header.column.getToggleSortingHandler()}>
                        {title}
                        <span aria-hidden>{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                      </button>
                    ) : (
                      title
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={row.id} data-testid="data-row" data-row-id={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
          {shown.length === 0 ? (
            <tr>
              <td colSpan={Math.max(1, table.getVisibleLeafColumns().length)} className="muted">
                {loading ? t('common.loading') : current.globalFilter ? t('table.noMatch', { query: current.globalFilter }) : t('table.noRows')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {pages > 1 ? (
        <nav className="data-table-pages" aria-label={t('table.pages', { label })}>
          <button type="button" className="btn btn-sm" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()}>
            {t('table.previous')}
          </button>
          <span>{t('table.page', { page: formatNumber(page), pages: formatNumber(pages) })}</span>
          <button type="button" className="btn btn-sm" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()}>
            {t('table.next')}
          </button>
        </nav>
      ) : null}
    </div>
  );
}
