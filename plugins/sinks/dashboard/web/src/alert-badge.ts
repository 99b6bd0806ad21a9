// The header's count of firing alerts on the Alerts tab, read again every half minute. Only
// for the owner: a share link has no alerts.
import './alerts.css';
import { badgeText, fetchAlerts } from './alerts';
import type { Api } from './api';
import type { I18n } from './i18n';

export function watchAlertBadge(api: Api, i18n: I18n, tab: HTMLElement | null, onCleanup: (fn: () => void) => void): void {
  if (!tab) return;
  // The number for the eye, the words for a screen reader ("Alerts, 2 alerts firing").
  const badge = document.createElement('span');
  badge.className = 'alert-badge';
  badge.id = 'alert-badge';
  badge.setAttribute('aria-hidden', 'true');
  badge.hidden = true;
  const spoken = document.createElement('span');
  spoken.className = 'sr-only';
  spoken.id = 'alert-badge-text';
  // The hidden words stay inside the scrolling tab bar, not past the page's right edge.
  tab.classList.add('has-alert-badge');
  tab.append(badge, spoken);
  const show = (n: number) => {
    badge.textContent = badgeText(n);
    badge.hidden = n <= 0;
    badge.setAttribute('data-count', String(n));
    spoken.textContent = n > 0 ? `, ${i18n.t('alertsBadge', { n })}` : '';
  };
  // The first count comes with the page: the header is drawn once, with the badge in it.
  const update = () => api.firstFromPage('alerts', () => fetchAlerts(api, 1)).then((r) => show(r.firing), () => undefined);
  void update();
  const timer = window.setInterval(() => void update(), 30_000);
  onCleanup(() => window.clearInterval(timer));
}
