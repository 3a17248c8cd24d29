import { describe, expect, it } from 'vitest';
import { clientAddress, stripUntrustedForwarding } from '@/lib/common/client-address';

const headers = (h: Record<string, string>) => new Headers(h);

describe('the client address for rate limits', () => {
  it('without TRUST_PROXY, believes no forwarding header a client sent: rotating them changes nothing', () => {
    // What proxy.ts hands on: the client's X-Forwarded-For and X-Real-IP removed; Next then writes the socket's.
    const sent = headers({ 'x-forwarded-for': '1.2.3.4, 5.6.7.8', 'x-real-ip': '9.9.9.9' });
    expect([...stripUntrustedForwarding(sent, 0).keys()]).toEqual([]);
    // Nor a host or protocol: Next then sets X-Forwarded-Host to Host and -Proto to the socket's (its Origin check
    // for server actions reads them).
    const named = headers({ host: 'shop.test', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    expect([...stripUntrustedForwarding(named, 0).keys()]).toEqual(['host']);
    const proxied = headers({ 'x-forwarded-host': 'shop.test', 'x-forwarded-proto': 'https' });
    expect([...stripUntrustedForwarding(proxied, 1).keys()]).toEqual(['x-forwarded-host', 'x-forwarded-proto']);
    const rotations = ['1.1.1.1', '2.2.2.2', '3.3.3.3'].map((spoofed) => {
      const request = stripUntrustedForwarding(headers({ 'x-forwarded-for': spoofed, 'x-real-ip': spoofed }), 0);
      request.set('x-forwarded-for', '127.0.0.1'); // Next's own, from the socket
      return clientAddress(request, 0);
    });
    expect(rotations).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });

  it('with N trusted proxies, takes the address the outermost one saw (N from the right)', () => {
    const chain = headers({ 'x-forwarded-for': 'spoofed, 203.0.113.9, 10.0.0.2' });
    expect(clientAddress(chain, 1)).toBe('10.0.0.2');
    expect(clientAddress(chain, 2)).toBe('203.0.113.9');
    expect(clientAddress(chain, 9)).toBe('spoofed');
    expect(clientAddress(chain, Number.POSITIVE_INFINITY)).toBe('spoofed');
    expect([...stripUntrustedForwarding(headers({ 'x-forwarded-for': 'a' }), 1).keys()]).toEqual(['x-forwarded-for']);
  });

  it('falls back to X-Real-IP behind a trusted proxy that sent no X-Forwarded-For', () => {
    expect(clientAddress(headers({ 'x-real-ip': '203.0.113.5' }), 1)).toBe('203.0.113.5');
    expect(clientAddress(headers({}), 1)).toBe('unknown');
  });
});
