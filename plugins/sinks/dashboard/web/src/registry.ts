// The views and what each needs. Now and History, the views a page opens on (Now for the
// owner, History for a share link), come with the page's script: a view's code loaded apart
// costs a slow phone a round of module loading before its first chart. The other views are
// each their own chunk, loaded when first shown.
import { ApiError, type Detail } from './api';
import type { Ctx } from './context';
import { renderHistory } from './views/history';
import { renderNow } from './views/now';

export type View = 'now' | 'history' | 'insights' | 'quality' | 'community' | 'alerts' | 'sharing' | 'settings';
export type Render = (ctx: Ctx, root: HTMLElement) => Promise<void>;
/** `community`: shown only when the sink has an energy community configured. */
export interface ViewDef { id: View; need?: Detail; admin?: boolean; community?: boolean; load: () => Promise<Render> }

/** A view's code that does not arrive means the server is out of reach, as for any request. */
function lazy(load: () => Promise<Render>): () => Promise<Render> {
  return () => load().catch((e: unknown) => {
    throw new ApiError('unreachable', e instanceof Error ? e.message : String(e));
  });
}

export const VIEWS: ViewDef[] = [
  { id: 'now', need: 'full', load: () => Promise.resolve(renderNow) },
  { id: 'history', need: 'daily', load: () => Promise.resolve(renderHistory) },
  { id: 'insights', need: 'daily', load: lazy(() => import('./views/insights').then((m) => m.renderInsights)) },
  { id: 'quality', need: 'full', load: lazy(() => import('./views/quality').then((m) => m.renderQuality)) },
  { id: 'community', admin: true, community: true, load: lazy(() => import('./views/community').then((m) => m.renderCommunity)) },
  { id: 'alerts', admin: true, load: lazy(() => import('./views/alerts').then((m) => m.renderAlerts)) },
  { id: 'sharing', admin: true, load: lazy(() => import('./views/sharing').then((m) => m.renderSharing)) },
  { id: 'settings', admin: true, load: lazy(() => import('./views/settings').then((m) => m.renderSettings)) },
];
