/** Loading, empty and error states, worded for the person reading them. */
import { ApiError } from '../lib/api.js';
import { h, type Child } from '../lib/dom.js';

export function loading(what: string): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);
}

export function emptyState(title: string, ...text: Child[]): HTMLElement {
  return h('div', { class: 'empty', role: 'status' }, h('p', { class: 'empty-title' }, title), text.length > 0 ? h('p', {}, ...text) : null);
}

export function errorTitle(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.denied) return `Access denied: your credentials may not call ${error.action}`;
    if (error.authentication) return `Your credentials were refused (${error.code})`;
    if (error.code === 'NetworkError') return 'The server could not be reached';
    return `${error.action} failed: ${error.code}`;
  }
  return 'Something went wrong';
}

export function errorState(error: unknown): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof ApiError && error.denied
    ? 'An IAM policy attached to your user or role must allow this action. The refusal is recorded in the trail.'
    : error instanceof ApiError && error.authentication ? 'Sign out and sign in again with valid credentials.' : undefined;
  return h('div', { class: 'error', role: 'alert' },
    h('p', { class: 'error-title' }, errorTitle(error)),
    h('p', {}, message),
    hint ? h('p', { class: 'muted' }, hint) : null);
}
