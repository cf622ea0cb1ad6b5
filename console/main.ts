/**
 * The console's entry: hash routes to pages (each loaded on first use), the signed-in shell, and
 * sign-out. Routes: #/roles, #/roles/NAME[/tab], #/instances, #/sessions, #/findings, #/activity,
 * #/stacks[?view=deleted], #/stacks/NAME[?id=ARN].
 */
import { announce, clearNotice } from './components/notice.js';
import { errorState } from './components/states.js';
import { h } from './lib/dom.js';
import { LivePage } from './lib/live.js';
import type { PageContext, PageModule } from './lib/page.js';
import { currentSession, endSession } from './lib/session.js';
import { renderSignIn } from './pages/sign-in.js';

const PAGES: Record<string, (segments: readonly string[]) => Promise<PageModule>> = {
  roles: (segments) => (segments.length > 0 ? import('./pages/role.js') : import('./pages/roles.js')),
  instances: () => import('./pages/instances.js'),
  sessions: () => import('./pages/sessions.js'),
  findings: () => import('./pages/findings.js'),
  activity: () => import('./pages/activity.js'),
  stacks: (segments) => (segments.length > 0 ? import('./pages/stack.js') : import('./pages/stacks.js')),
};
const DEFAULT_ROUTE = '/roles';

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const identityArea = document.getElementById('identity') as HTMLElement;
let livePage: LivePage | undefined;
let renderCount = 0;

interface Route {
  name: string;
  segments: string[];
  params: URLSearchParams;
}

function currentRoute(): Route {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(2) : DEFAULT_ROUTE.slice(1);
  const [path = '', query = ''] = hash.split('?', 2);
  const parts = path.split('/').filter((part) => part !== '').map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  return { name: parts[0] ?? 'roles', segments: parts.slice(1), params: new URLSearchParams(query) };
}

function showShell(signedIn: boolean): void {
  nav.hidden = !signedIn;
  identityArea.hidden = !signedIn;
  const session = currentSession();
  const who = document.getElementById('who');
  if (who) who.textContent = session ? (session.identity?.arn ?? session.accessKeyId) : '';
  if (who && session) who.title = `Access key ${session.accessKeyId}`;
}

function markCurrent(name: string): void {
  for (const anchor of nav.querySelectorAll('a')) {
    if (anchor.getAttribute('href') === `#/${name}`) anchor.setAttribute('aria-current', 'page');
    else anchor.removeAttribute('aria-current');
  }
}

function signIn(message?: string): void {
  livePage?.stop();
  livePage = undefined;
  showShell(false);
  renderSignIn(main, {
    ...(message !== undefined ? { message } : {}),
    onSignedIn: () => {
      clearNotice();
      void renderRoute();
    },
  });
}

async function renderRoute(): Promise<void> {
  const render = ++renderCount;
  livePage?.stop();
  livePage = undefined;
  if (!currentSession()) {
    signIn();
    return;
  }
  showShell(true);
  const route = currentRoute();
  const loader = PAGES[route.name];
  markCurrent(route.name);
  const container = h('div', { class: 'page' });
  main.replaceChildren(container);
  if (!loader) {
    document.title = 'Not found · iamd console';
    container.append(h('h1', { tabindex: -1 }, 'Page not found'), h('p', {}, 'There is no such page. ', h('a', { href: `#${DEFAULT_ROUTE}` }, 'Go to Roles')));
    return;
  }
  let page: PageModule;
  try {
    page = await loader(route.segments);
  } catch (error) {
    container.append(errorState(error));
    return;
  }
  if (render !== renderCount) return;
  const live = new LivePage((error) => {
    endSession();
    signIn(error.message);
  });
  livePage = live;
  const context: PageContext = {
    main: container, segments: route.segments, params: route.params, live,
    navigate: (target) => { location.hash = `#${target}`; },
    remember: (target) => { history.replaceState(null, '', `#${target}`); },
    setTitle: (title) => { document.title = `${title} · iamd console`; },
  };
  page.render(context);
  container.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
}

document.getElementById('sign-out')?.addEventListener('click', () => {
  endSession();
  signIn('Signed out. This tab no longer holds any key.');
});

document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

window.addEventListener('hashchange', () => {
  clearNotice();
  void renderRoute();
});

window.addEventListener('unhandledrejection', (event) => {
  announce(`Unexpected error: ${event.reason instanceof Error ? event.reason.message : String(event.reason)}`, 'bad');
});

void renderRoute();
