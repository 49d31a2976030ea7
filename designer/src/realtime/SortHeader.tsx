// A column header that sorts its table: a real button inside the <th> (keyboard and screen readers
// reach it), with `aria-sort` on the header cell as the ARIA table pattern wants.
import { useCallback, useState } from 'react';
import type { SortOrder } from './boardView.ts';

export function useSortOrder<K extends string>(initial: SortOrder<K>): [SortOrder<K>, (key: K) => void] {
  const [order, setOrder] = useState(initial);
  const toggle = useCallback(
    (key: K) => setOrder((current) => (current.key === key ? { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' } : { key, direction: 'ascending' })),
    [],
  );
  return [order, toggle];
}

export function SortHeader<K extends string>({ label, sortKey, order, onSort, numeric = false }: { label: string; sortKey: K; order: SortOrder<K>; onSort: (key: K) => void; numeric?: boolean }) {
  const active = order.key === sortKey;
  return (
    <th scope="col" aria-sort={active ? order.direction : 'none'} className={numeric ? 'num' : undefined}>
      <button type="button" className="sort-button" onClick={() => onSort(sortKey)}>
        {label}
        <span className="sort-mark" aria-hidden="true">
          {active ? (order.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
