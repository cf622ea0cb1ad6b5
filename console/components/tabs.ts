/**
 * Tabs as the ARIA authoring practices describe them: a tablist whose tabs move with the arrow
 * keys, Home and End; only the selected tab is in the tab order. Selecting a tab changes the route
 * (so a tab can be linked and reloaded) through `onSelect`.
 */
import { h } from '../lib/dom.js';

export interface TabSpec {
  id: string;
  label: string;
}

export function tabList(label: string, tabs: readonly TabSpec[], selected: string, onSelect: (id: string) => void): HTMLElement {
  const buttons = tabs.map((tab) => h('button', {
    type: 'button', role: 'tab', id: `tab-${tab.id}`, 'aria-controls': `panel-${tab.id}`, 'aria-selected': tab.id === selected ? 'true' : 'false',
    tabindex: tab.id === selected ? 0 : -1, class: 'tab', onclick: () => onSelect(tab.id),
  }, tab.label));
  const list = h('div', { role: 'tablist', 'aria-label': label, class: 'tabs' }, buttons);
  list.addEventListener('keydown', (event: KeyboardEvent) => {
    const index = buttons.findIndex((button) => button === document.activeElement);
    if (index < 0) return;
    const next = event.key === 'ArrowRight' ? (index + 1) % buttons.length
      : event.key === 'ArrowLeft' ? (index - 1 + buttons.length) % buttons.length
        : event.key === 'Home' ? 0 : event.key === 'End' ? buttons.length - 1 : -1;
    if (next < 0) return;
    event.preventDefault();
    onSelect(tabs[next]!.id);
  });
  return list;
}

export function tabPanel(id: string): HTMLElement {
  return h('div', { role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, tabindex: 0, class: 'tab-panel' });
}
