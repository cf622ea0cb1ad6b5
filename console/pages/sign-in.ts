/**
 * Sign-in with an access key id and secret (and a session token for temporary credentials). The
 * form is never submitted anywhere (the CSP's form-action 'none' would block it): the secret turns
 * into this tab's signing keys and is checked with sts:GetCallerIdentity, a signed request like
 * every other.
 */
import { ApiError, getCallerIdentity } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { endSession, rememberIdentity, startSession, type Identity } from '../lib/session.js';

export interface SignInOptions {
  message?: string;
  onSignedIn: (identity: Identity) => void;
}

async function serverRegion(): Promise<string> {
  try {
    const response = await fetch('/_iamd/health', { credentials: 'omit', cache: 'no-store' });
    const health = (await response.json()) as { region?: unknown };
    return typeof health.region === 'string' ? health.region : 'us-east-1';
  } catch {
    return 'us-east-1';
  }
}

function refusal(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'InvalidClientTokenId' || error.code === 'InvalidAccessKeyId') return 'iamd does not know this access key ID (or it is inactive).';
    if (error.code === 'SignatureDoesNotMatch') return 'The secret access key does not match this access key ID.';
    if (error.code === 'ExpiredToken') return 'These temporary credentials have expired.';
    return `${error.code}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function renderSignIn(main: HTMLElement, options: SignInOptions): void {
  document.title = 'Sign in · iamd console';
  const accessKey = h('input', { id: 'access-key-id', name: 'accessKeyId', required: true, autocomplete: 'username', spellcheck: 'false', autocapitalize: 'off', class: 'mono' });
  const secret = h('input', { id: 'secret-access-key', name: 'secretAccessKey', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false', class: 'mono' });
  const token = h('textarea', { id: 'session-token', name: 'sessionToken', rows: 2, autocomplete: 'off', spellcheck: 'false', class: 'mono', 'aria-describedby': 'session-token-help' });
  const status = h('div', { role: 'alert', class: 'sign-in-status' });
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Sign in');
  const form = h('form', { class: 'sign-in', 'aria-labelledby': 'sign-in-title', novalidate: false },
    h('label', { for: 'access-key-id' }, 'Access key ID'), accessKey,
    h('label', { for: 'secret-access-key' }, 'Secret access key'), secret,
    h('label', { for: 'session-token' }, 'Session token (temporary credentials only)'), token,
    h('p', { id: 'session-token-help', class: 'muted' }, 'Leave empty for an IAM user\'s or the root user\'s access key.'),
    status,
    button);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      button.disabled = true;
      status.replaceChildren(h('p', { class: 'loading' }, 'Checking the credentials…'));
      const credentials = { accessKeyId: accessKey.value.trim(), secretAccessKey: secret.value.trim(), sessionToken: token.value.trim() };
      // Neither secret stays in the form (a failed sign-in asks for both again).
      secret.value = '';
      token.value = '';
      try {
        await startSession(credentials, await serverRegion(), new Date());
        const identity = await getCallerIdentity();
        rememberIdentity(identity);
        options.onSignedIn(identity);
      } catch (error) {
        endSession();
        status.replaceChildren(h('p', { class: 'error' }, `Sign-in failed. ${refusal(error)}`));
        button.disabled = false;
        secret.focus();
      }
    })();
  });
  if (!window.isSecureContext || typeof crypto === 'undefined' || !crypto.subtle) {
    // WebCrypto, which signs every request, exists only in secure contexts.
    button.disabled = true;
    status.replaceChildren(h('p', { class: 'error' }, 'The console can sign requests only in a secure context: open it at http://127.0.0.1:PORT or ',
      'http://localhost:PORT on the machine running iamd, or serve iamd with --tls.'));
  }
  main.replaceChildren(
    h('div', { class: 'sign-in-page' },
      h('h1', { id: 'sign-in-title', tabindex: -1 }, 'Sign in to the iamd console'),
      options.message ? h('p', { class: 'notice notice-ok', role: 'status' }, options.message) : null,
      form,
      h('div', { class: 'explain' },
        h('h2', {}, 'How the console uses your key'),
        h('ul', {},
          h('li', {}, 'Every action is a signed AWS API request, authorized by your IAM policies and recorded in the trail, like a call from the AWS CLI.'),
          h('li', {}, 'The secret access key is not stored: it is turned into today\'s signing keys, kept only in this tab\'s session storage until you sign out or close the tab.'),
          h('li', {}, 'No cookie is used, so another site cannot act in your name.')))),
  );
  accessKey.focus();
}
