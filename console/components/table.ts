/**
 * A data table in a labelled, keyboard-scrollable region, with its empty state in place of the
 * rows. On narrow screens (console.css) each row becomes a card whose cells carry their column's
 * name (data-label), so nothing needs sideways scrolling.
 */
import { h, type Child } from '../lib/dom.js';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => Child;
  /** a class for the cells (e.g. "nowrap", "mono") */
  className?: string;
}

export interface TableOptions<Row> {
  caption: string;
  columns: Array<Column<Row>>;
  rows: readonly Row[];
  key: (row: Row) => string;
  empty: Child;
  rowClass?: (row: Row) => string | undefined;
}

export function dataTable<Row>(options: TableOptions<Row>): HTMLElement {
  if (options.rows.length === 0) return options.empty instanceof HTMLElement ? options.empty : h('div', { class: 'empty', role: 'status' }, options.empty);
  // Explicit roles keep the table's semantics when narrow screens lay each row out as a card.
  const head = h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, options.columns.map((column) => h('th', { scope: 'col', role: 'columnheader' }, column.header))));
  const body = h('tbody', { role: 'rowgroup' }, options.rows.map((row) => h('tr', { role: 'row', 'data-key': options.key(row), class: options.rowClass?.(row) },
    options.columns.map((column) => h('td', { role: 'cell', class: column.className, 'data-label': column.header }, h('div', {}, column.cell(row)))))));
  const table = h('table', { role: 'table' }, h('caption', { class: 'visually-hidden' }, options.caption), head, body);
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': options.caption, tabindex: 0 }, table);
}

/** A small label for a state: text first, colour only as a second signal. */
export function badge(text: string, tone: 'ok' | 'warn' | 'bad' | 'neutral' = 'neutral'): HTMLElement {
  return h('span', { class: `badge badge-${tone}` }, text);
}
