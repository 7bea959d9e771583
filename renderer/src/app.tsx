/**
 * The app shell: sidebar navigation, a header with the catalog path, and the routes.
 *
 * Routes are hash-based in the browser (`#/versions/go/2024-05-01`) so deep links work
 * under both `app://` and the web host; tests mount them in a MemoryRouter.
 */
import { Component, lazy, Suspense, type ComponentType, type ErrorInfo, type ReactNode } from 'react';
import { matchPath, Navigate, NavLink, Route, Routes, useParams } from 'react-router';
import type { Bridge } from '../../electron/shared/api-protocol.js';
import { ApiProvider, useQuery } from './api/api-context.js';
import { useAccess } from './api/access.js';
import { ToastProvider } from './components/toast.js';
import { ConnectionStatus } from './components/connection-status.js';
import { ErrorState, NoCatalogHelp, Skeleton } from './components/states.js';
import { ApiError } from './api/invoke.js';
import { CatalogPage } from './pages/catalog-page.js';

// Pages other than the landing one load on first visit, so the first screen stays small
// and recharts arrives only with the pages that chart. A page opened from a deep link is
// loaded before the first render (`preloadRouteFor`), so it never shows a placeholder:
// React keeps a shown Suspense fallback up for at least 300 ms.
const DeltaPage = routePage(() => import('./pages/delta-page.js').then((m) => m.DeltaPage));
const DoctorPage = routePage(() => import('./pages/doctor-page.js').then((m) => m.DoctorPage));
const EventsPage = routePage(() => import('./pages/events-page.js').then((m) => m.EventsPage));
const ReportsPage = routePage(() => import('./pages/reports-page.js').then((m) => m.ReportsPage));
const IngestPage = routePage(() => import('./pages/ingest-form.js').then((m) => m.IngestPage));
const ReviewPage = routePage(() => import('./pages/review-page.js').then((m) => m.ReviewPage));
const SourcesPage = routePage(() => import('./pages/sources-page.js').then((m) => m.SourcesPage));
const PrunePage = routePage(() => import('./pages/prune-page.js').then((m) => m.PrunePage));
const TermsPage = routePage(() => import('./pages/terms-page.js').then((m) => m.TermsPage));
const TrashPage = routePage(() => import('./pages/trash-page.js').then((m) => m.TrashPage));
const StoragePage = routePage(() => import('./pages/storage-page.js').then((m) => m.StoragePage));
const ValidationPage = routePage(() => import('./pages/validation-page.js').then((m) => m.ValidationPage));
const VersionPage = routePage(() => import('./pages/version-page.js').then((m) => m.VersionPage));

interface RoutePage {
  (): ReactNode;
  preload(): Promise<unknown>;
}

/** A lazily loaded page that renders synchronously once its chunk has been preloaded. */
function routePage(load: () => Promise<ComponentType>): RoutePage {
  let loaded: ComponentType | null = null;
  let pending: Promise<ComponentType> | null = null;
  const preload = (): Promise<ComponentType> => {
    pending ??= load().then((component) => (loaded = component));
    return pending;
  };
  const Lazy = lazy(() => preload().then((component) => ({ default: component })));
  const Page = (): ReactNode => {
    const Loaded = loaded;
    return Loaded ? <Loaded /> : <Lazy />;
  };
  return Object.assign(Page, { preload });
}

/** The lazily loaded pages by route: what `<Routes>` renders and what a deep link preloads. */
const PAGE_ROUTES: readonly { readonly path: string; readonly Page: RoutePage }[] = [
  { path: '/versions/:service/:version', Page: VersionPage },
  { path: '/validation/:service/:version', Page: ValidationPage },
  { path: '/delta', Page: DeltaPage },
  { path: '/ingest', Page: IngestPage },
  { path: '/doctor', Page: DoctorPage },
  { path: '/prune', Page: PrunePage },
  { path: '/trash', Page: TrashPage },
  { path: '/storage', Page: StoragePage },
  { path: '/events', Page: EventsPage },
  { path: '/terms', Page: TermsPage },
  { path: '/reports', Page: ReportsPage },
  { path: '/sources', Page: SourcesPage },
  { path: '/review', Page: ReviewPage },
];

/** Loads the page a deep link (`#/delta?…`) opens, so the first render can show it at once. */
export function preloadRouteFor(hash: string): Promise<unknown> {
  const pathname = hash.replace(/^#/, '').split('?')[0] || '/';
  const route = PAGE_ROUTES.find(({ path }) => matchPath(path, pathname));
  return route ? route.Page.preload().catch(() => undefined) : Promise.resolve();
}

const NAV: readonly { readonly to: string; readonly label: string }[] = [
  { to: '/', label: 'Catalog' },
  { to: '/versions', label: 'Version' },
  { to: '/validation', label: 'Validation' },
  { to: '/delta', label: 'Delta' },
  { to: '/terms', label: 'Terms' },
  { to: '/ingest', label: 'Ingest' },
  { to: '/sources', label: 'Sources' },
  { to: '/review', label: 'Review' },
  { to: '/doctor', label: 'Doctor' },
  { to: '/prune', label: 'Prune' },
  { to: '/trash', label: 'Trash' },
  { to: '/storage', label: 'Storage' },
  { to: '/reports', label: 'Reports' },
  { to: '/events', label: 'Events' },
];

/** `/versions` or `/validation` without a version: go to the newest latest version. */
function ToLatest({ base }: { base: string }): ReactNode {
  const versions = useQuery('versions:list', { sort: 'release', direction: 'desc', limit: 50 }, []);
  if (versions.error) return <ErrorState error={versions.error} onRetry={versions.refetch} />;
  if (!versions.data) return <Skeleton rows={3} label="Finding the latest version" />;
  const items = versions.data.items;
  const pick = items.find((v) => v.is_latest) ?? items[0];
  if (!pick) return <section className="page"><NoCatalogHelp /></section>;
  return <Navigate to={`/${base}/${pick.service}/${pick.version}`} replace />;
}

/** Who is signed in and their role, with Sign out (team server only). */
function SignedIn(): ReactNode {
  const { user, signOut } = useAccess();
  if (!user) return null;
  return (
    <span className="signed-in" aria-label="Signed in">
      <span>Signed in as <strong>{user.username}</strong></span>
      <span className="badge" title={ROLE_WORDS[user.role]}>{user.role}</span>
      {signOut && <button type="button" onClick={signOut}>Sign out</button>}
    </span>
  );
}

const ROLE_WORDS: Readonly<Record<'viewer' | 'curator' | 'admin', string>> = {
  viewer: 'Reads the catalog',
  curator: 'Reads; ingests, reviews, sets latest, pins, plans housekeeping',
  admin: 'Everything: also applies doctor and prune, empties the trash, backups, accounts',
};

function CatalogHeader(): ReactNode {
  const info = useQuery('catalog:info', {}, []);
  return (
    <header className="app-header">
      <span className="brand" aria-hidden="true">◆</span>
      <span className="app-title">Ontocat</span>
      {info.data ? (
        <span className="catalog-path mono" title={info.data.db_path} aria-label="Catalog path">{info.data.root}</span>
      ) : info.error ? <span className="bad" role="alert">Catalog unavailable: {info.error.message}</span> : <span className="muted">Opening catalog…</span>}
      {info.data?.read_only && <span className="badge badge-warn" title="Another process holds the writer lock">read-only</span>}
      {info.data && <span className="muted small">{info.data.versions} versions · {info.data.files.toLocaleString('en-US')} files · schema v{info.data.schema_version}</span>}
      <ConnectionStatus onReconnect={info.refetch} />
      <SignedIn />
    </header>
  );
}

/** Catches render errors so one broken view never blanks the window. */
class PageBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null; key: string }> {
  override state = { error: null as Error | null, key: this.props.resetKey };
  static getDerivedStateFromError(error: Error): { error: Error } { return { error }; }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { key: string }): { error: null; key: string } | null {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }
  override componentDidCatch(error: Error, info: ErrorInfo): void { console.error(error, info.componentStack); }
  override render(): ReactNode {
    return this.state.error ? <ErrorState error={new ApiError('INTERNAL', this.state.error.message)} title="This view failed" /> : this.props.children;
  }
}

function Boundary({ children }: { children: ReactNode }): ReactNode {
  const params = useParams();
  return (
    <PageBoundary resetKey={JSON.stringify(params)}>
      <Suspense fallback={<section className="page"><Skeleton rows={6} label="Loading view" /></section>}>{children}</Suspense>
    </PageBoundary>
  );
}

/** Layout + routes; mount inside a router. */
export function AppRoutes(): ReactNode {
  return (
    <div className="app">
      {/* A hash link would change the route: the skip link moves focus itself. */}
      <a className="skip-link" href="#main-content" onClick={(event) => {
        event.preventDefault();
        document.getElementById('main-content')?.focus();
      }}>Skip to main content</a>
      <CatalogHeader />
      <nav className="sidebar" aria-label="Main">
        <ul>
          {NAV.map((item) => (
            <li key={item.to}><NavLink to={item.to} end={item.to === '/'}>{item.label}</NavLink></li>
          ))}
        </ul>
      </nav>
      <main className="content" id="main-content" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Boundary><CatalogPage /></Boundary>} />
          <Route path="/versions" element={<ToLatest base="versions" />} />
          <Route path="/validation" element={<ToLatest base="validation" />} />
          {PAGE_ROUTES.map(({ path, Page }) => <Route key={path} path={path} element={<Boundary><Page /></Boundary>} />)}
          <Route path="*" element={<section className="page"><h1>Not found</h1><p><NavLink to="/">Back to the catalog</NavLink></p></section>} />
        </Routes>
      </main>
    </div>
  );
}

/** Providers every view needs. */
export function AppProviders({ bridge, channels, children }: { bridge: Bridge; channels?: readonly string[]; children: ReactNode }): ReactNode {
  return (
    <ApiProvider bridge={bridge} channels={channels}>
      <ToastProvider>{children}</ToastProvider>
    </ApiProvider>
  );
}
