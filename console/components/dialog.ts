/**
 * A confirmation dialog on the native <dialog> element: modal, focus kept inside, Escape cancels,
 * focus returns to what opened it. With `acknowledge`, the confirm button stays disabled until the
 * box is ticked (as AWS's console does for "Revoke active sessions").
 */
import { h, type Child } from '../lib/dom.js';

export interface ConfirmOptions {
  title: string;
  body: Child[];
  confirmLabel: string;
  acknowledge?: string;
  danger?: boolean;
}

let dialogCount = 0;

export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  const titleId = `dialog-title-${++dialogCount}`;
  const confirm = h('button', { type: 'submit', value: 'confirm', class: options.danger ? 'button danger' : 'button primary', disabled: options.acknowledge !== undefined }, options.confirmLabel);
  const cancel = h('button', { type: 'submit', value: 'cancel', class: 'button', formnovalidate: true }, 'Cancel');
  const acknowledgement = options.acknowledge === undefined ? null : h('label', { class: 'acknowledge' },
    h('input', { type: 'checkbox', onchange: (event: Event) => { confirm.disabled = !(event.target as HTMLInputElement).checked; } }),
    ` ${options.acknowledge}`);
  const form = h('form', { method: 'dialog' },
    h('h2', { id: titleId }, options.title),
    h('div', { class: 'dialog-body' }, ...options.body),
    acknowledgement,
    h('div', { class: 'dialog-actions' }, cancel, confirm));
  const dialog = h('dialog', { 'aria-labelledby': titleId, class: 'confirm' }, form);
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const confirmed = dialog.returnValue === 'confirm';
      dialog.remove();
      opener?.focus();
      resolve(confirmed);
    });
    dialog.showModal();
    cancel.focus();
  });
}
