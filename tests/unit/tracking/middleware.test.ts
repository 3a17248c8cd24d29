import { afterEach, describe, expect, it, vi } from 'vitest';
import { mintIdentitySignature } from '@/lib/tracking/identity-signature';
import { resetLogOnce } from '@/lib/tracking/log';
import { createSourceMiddleware, type SdkEvent } from '@/lib/tracking/middleware';

afterEach(() => {
  vi.restoreAllMocks();
  resetLogOnce();
});

function run(obj: SdkEvent, options: { stopped?: boolean; strict?: boolean; cookie?: string | null } = {}) {
  const middleware = createSourceMiddleware({
    isStopped: () => options.stopped ?? false,
    strict: options.strict ?? true,
    readSignature: () => options.cookie ?? null,
  });
  const next = vi.fn();
  middleware({ payload: { obj }, next });
  return { next, obj };
}

describe('browser source middleware', () => {
  it('moves the caller messageId from context to the message and stamps schema_version', () => {
    const { next, obj } = run({
      type: 'track',
      event: 'Quiz Started',
      messageId: 'ajs-next-123',
      properties: { quiz_id: 'skin-v1' },
      context: { messageId: 'mid-1', page: { path: '/' } },
    });
    expect(next).toHaveBeenCalledOnce();
    expect(obj.messageId).toBe('mid-1');
    expect(obj.context).toEqual({ page: { path: '/' } });
    expect(obj.properties).toEqual({ quiz_id: 'skin-v1', schema_version: 1 });
  });

  it('keeps the SDK messageId when the caller passed none', () => {
    const { obj } = run({
      type: 'page',
      name: 'Home',
      messageId: 'ajs-next-123',
      properties: { path: '/' },
      context: {},
    });
    expect(obj.messageId).toBe('ajs-next-123');
    expect(obj.properties?.schema_version).toBe(1);
  });

  it('drops events that break the plan, with an error in strict mode and one warning in production', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(run({ type: 'track', event: 'add_to_cart', properties: {} }, { strict: true }).next).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledOnce();
    expect(
      run({ type: 'track', event: 'Quiz Started', properties: {} }, { strict: false }).next,
    ).not.toHaveBeenCalled();
    expect(
      run({ type: 'track', event: 'Quiz Started', properties: {} }, { strict: false }).next,
    ).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledOnce();
    expect(run({ type: 'page', name: 'Home', properties: {} }).next).not.toHaveBeenCalled();
  });

  it('drops identify calls with a non-canonical id, even made on the SDK directly', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(run({ type: 'identify', userId: 'ada@example.com' }).next).not.toHaveBeenCalled();
    expect(run({ type: 'identify', userId: 'cus_4f9Kx2LmQ8vTz1Ab', anonymousId: 'x' }).next).toHaveBeenCalledOnce();
  });

  it('sends nothing once the shopper declined', () => {
    expect(
      run({ type: 'track', event: 'Quiz Started', properties: { quiz_id: 'q' } }, { stopped: true }).next,
    ).not.toHaveBeenCalled();
  });

  it("puts the server's identity signature into identify and alias calls made for the user it was minted for", async () => {
    const ada = 'cus_4f9Kx2LmQ8vTz1Ab';
    const cookie = await mintIdentitySignature('k'.repeat(16), { userId: ada, anonymousId: 'x' });
    const signed = run({ type: 'identify', userId: ada, anonymousId: 'x', context: {} }, { cookie }).obj;
    expect(signed.context).toEqual({ identity_signature: cookie });
    const alias = run({ type: 'alias', userId: ada, context: {} }, { cookie }).obj;
    expect(alias.context).toEqual({ identity_signature: cookie });
    // Another user's token stays out; one passed to identify() explicitly (IdentifyOnce) is kept.
    const other = run({ type: 'identify', userId: 'cus_someoneElse000000', anonymousId: 'x', context: {} }, { cookie });
    expect(other.obj.context).toEqual({});
    expect(other.next).toHaveBeenCalledOnce();
    const explicit = run({ type: 'identify', userId: ada, context: { identity_signature: 'given' } }, { cookie }).obj;
    expect(explicit.context).toEqual({ identity_signature: 'given' });
    // Calls that change no identity never carry it.
    expect(run({ type: 'page', name: 'Home', properties: { path: '/' }, context: {} }, { cookie }).obj.context).toEqual(
      {},
    );
  });
});
