import { describe, expect, it } from 'vitest';
import { Api, ApiError, classify } from '../src/api';

const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers })) as unknown as typeof fetch;

describe('api', () => {
  it('builds admin and share URLs', () => {
    expect(new Api().url('series', { meter: 'a b', from: 1, to: undefined })).toBe('/api/series?meter=a%20b&from=1');
    expect(new Api('tok').url('meters')).toBe('/s/tok/api/meters');
  });
  it('asks the insights of the chosen meters, or of every visible meter', async () => {
    const seen: string[] = [];
    const api = new Api('tok', (async (url: string) => {
      seen.push(url);
      return new Response(JSON.stringify({ meters: [], currency: 'CHF', energy: {}, peaks: [] }), { status: 200 });
    }) as unknown as typeof fetch);
    await api.insights(['house', 'heat pump'], 1.5, 9.2);
    await api.insights([], 0, 10);
    expect(seen).toEqual(['/s/tok/api/insights?meters=house%2Cheat%20pump&from=1&to=10', '/s/tok/api/insights?from=0&to=10']);
  });
  it('classifies failures', () => {
    expect(classify(401, false)).toBe('unauthorized');
    expect(classify(404, true, 'this link is not valid (revoked, expired or mistyped)')).toBe('share-invalid');
    expect(classify(404, true, "unknown meter 'x'")).toBe('bad-request');
    expect(classify(403, true)).toBe('forbidden');
    expect(classify(503, false)).toBe('unreachable');
    expect(classify(500, false)).toBe('server');
  });
  it('turns a network failure into unreachable', async () => {
    const api = new Api(null, (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch);
    await expect(api.meters()).rejects.toMatchObject({ kind: 'unreachable' });
  });
  it('reads the server error text and Retry-After', async () => {
    const api = new Api(null, reply(429, { error: { status: 429, message: 'too many failed logins; try again later' } }, { 'Retry-After': '42' }));
    const err = await api.login('x').catch((e: ApiError) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).retryAfter).toBe(42);
    expect((err as ApiError).message).toContain('too many');
  });
  it('a revoked link is reported as such', async () => {
    const api = new Api('t', reply(404, { error: { status: 404, message: 'this link is not valid (revoked, expired or mistyped)' } }));
    await expect(api.meters()).rejects.toMatchObject({ kind: 'share-invalid' });
  });
  it('asks the session of the admin or of the share link', async () => {
    const seen: string[] = [];
    const fetcher = (async (url: string) => {
      seen.push(url);
      return new Response(JSON.stringify({ kind: 'admin', expires_ms: 1, currency: 'CHF' }), { status: 200 });
    }) as unknown as typeof fetch;
    await new Api(null, fetcher).session();
    await new Api('t', fetcher).session();
    await new Api('t', fetcher).settings();
    expect(seen).toEqual(['/api/session', '/s/t/api/session', '/api/settings']);
  });
  it('no session is unauthorized', async () => {
    const api = new Api(null, reply(401, { error: { status: 401, message: 'log in first' } }));
    await expect(api.session()).rejects.toMatchObject({ kind: 'unauthorized' });
  });
  it('passes JSON through and accepts 204', async () => {
    expect(await new Api(null, reply(200, { meters: [], time_zone: 'UTC' })).meters()).toEqual({ meters: [], time_zone: 'UTC' });
    expect(await new Api(null, reply(204, undefined)).revokeShare('x')).toBeUndefined();
  });
});
