/** Times in the reader's locale and time zone, with the UTC time on hover (the title) and in `datetime`. */
import { h } from './dom.js';

const local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function utcText(date: Date): string {
  return `${date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '')} UTC`;
}

export function timeElement(value: string | undefined): HTMLElement {
  if (value === undefined || value === '') return h('span', { class: 'muted' }, '—');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return h('span', {}, value);
  return h('time', { datetime: date.toISOString(), title: utcText(date) }, local.format(date));
}

/** A time as text for a message: local, then UTC ("28 Nov 2026, 04:51:42 (03:51:42 UTC)"). */
export function localAndUtc(date: Date): string {
  return `${local.format(date)} (${utcText(date)})`;
}

/** "in 5 h 3 min" / "12 min ago", for expiries and last use. */
export function relative(value: string | undefined, now = Date.now()): string {
  if (value === undefined || value === '') return '';
  const delta = Date.parse(value) - now;
  if (Number.isNaN(delta)) return '';
  const minutes = Math.round(Math.abs(delta) / 60_000);
  const text = minutes < 1 ? 'less than a minute' : minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

/** Pretty-printed JSON of a policy document, or the text as it is when it is not JSON. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
