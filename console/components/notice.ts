/** Outcomes of actions, shown in a banner and read out by screen readers (a polite live region). */
import { h, replaceChildren } from '../lib/dom.js';

export function announce(message: string, tone: 'ok' | 'bad' = 'ok'): void {
  const region = document.getElementById('notice');
  if (!region) return;
  replaceChildren(region, h('p', { class: `notice notice-${tone}` }, message,
    h('button', { type: 'button', class: 'link-button', 'aria-label': 'Dismiss message', onclick: () => region.replaceChildren() }, '×')));
}

export function clearNotice(): void {
  document.getElementById('notice')?.replaceChildren();
}
