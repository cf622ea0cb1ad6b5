/**
 * A data table in a labelled, keyboard-scrollable region (narrow screens scroll it sideways rather
 * than the page), with its empty state in place of the rows.
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
  const head = h('thead', {}, h('tr', {}, options.columns.map((column) => h('th', { scope: 'col' }, column.header))));
  const body = h('tbody', {}, options.rows.map((row) => h('tr', { 'data-key': options.key(row), class: options.rowClass?.(row) },
    options.columns.map((column) => h('td', { class: column.className }, column.cell(row))))));
  const table = h('table', {}, h('caption', { class: 'visually-hidden' }, options.caption), head, body);
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': options.caption, tabindex: 0 }, table);
}

/** A small label for a state: text first, colour only as a second signal. */
export function badge(text: string, tone: 'ok' | 'warn' | 'bad' | 'neutral' = 'neutral'): HTMLElement {
  return h('span', { class: `badge badge-${tone}` }, text);
}
