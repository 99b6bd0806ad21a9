import { describe, expect, it } from 'vitest';
import { Api, readBoot, type BootData } from '../src/api';

/** A page holding `text` as its data block (or no block). */
const page = (text: string | null) => ({
  getElementById: (id: string) => (id === 'boot' && text !== null ? { textContent: text } as HTMLElement : null),
});

/** A server that answers every request with `{ asked: url }` and records what was asked. */
function server() {
  const asked: string[] = [];
  const fetcher = (async (url: string) => {
    asked.push(url);
    return new Response(JSON.stringify({ asked: url, kind: 'admin', currency: 'EUR', meters: [], time_zone: 'UTC' }), { status: 200 });
  }) as unknown as typeof fetch;
  return { asked, fetcher };
}

const boot: BootData = {
  session: { kind: 'admin', expires_ms: null, currency: 'CHF' },
  meters: { meters: [{ id: 'house', name: 'House', quantities: [] }], time_zone: 'Europe/Zurich' },
  settings: { currency: 'CHF' } as BootData['settings'],
  alerts: { rules: [], firing: 2, history: [] },
};

describe('boot data', () => {
  it('reads the block the server wrote, escaped as it writes it', () => {
    const escaped = JSON.stringify({ session: { kind: 'share', label: '</script>' } }).replace(/</g, '\\u003c');
    expect(readBoot(page(escaped)).session).toMatchObject({ label: '</script>' });
    expect(readBoot(page(null))).toEqual({});
    expect(readBoot(page(''))).toEqual({});
    expect(readBoot(page('{"session": '))).toEqual({}); // cut short: ignored, the page asks
    expect(readBoot(page('[1,2]'))).toEqual({});
    expect(readBoot(undefined)).toEqual({});
  });

  it('answers the first session, meters and settings from the page, then asks the server', async () => {
    const s = server();
    const api = new Api(null, s.fetcher, boot);
    expect(await api.session()).toEqual(boot.session);
    expect(await api.meters()).toEqual(boot.meters);
    expect(await api.settings()).toEqual(boot.settings);
    const alerts = () => api.firstFromPage('alerts', () => api.get('alerts', { limit: 1 }));
    expect(await alerts()).toEqual(boot.alerts);
    expect(s.asked).toEqual([]);
    expect(await alerts()).toMatchObject({ asked: '/api/alerts?limit=1' });
    s.asked.length = 0;
    // A later check of the session (the watchdog) must see the server's current answer.
    expect(await api.session()).toMatchObject({ asked: '/api/session' });
    expect(await api.meters()).toMatchObject({ asked: '/api/meters' });
    expect(s.asked).toEqual(['/api/session', '/api/meters']);
  });

  it('asks the server for what the page does not carry', async () => {
    const s = server();
    const api = new Api('tok', s.fetcher, { session: boot.session, meters: boot.meters });
    await api.session();
    await api.meters();
    expect(s.asked).toEqual([]);
    const plain = server();
    const without = new Api('tok', plain.fetcher, readBoot(page(null)));
    await without.session();
    await without.meters();
    expect(plain.asked).toEqual(['/s/tok/api/session', '/s/tok/api/meters']);
  });

  it('forgets the page\'s answers on logout', async () => {
    const s = server();
    const api = new Api(null, s.fetcher, boot);
    await api.logout();
    await api.session();
    await api.settings();
    expect(s.asked).toEqual(['/api/logout', '/api/session', '/api/settings']);
  });
});
