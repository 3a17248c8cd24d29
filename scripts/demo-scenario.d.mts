import type { BrowserContext, Page } from '@playwright/test';

export declare const CAMPAIGN_PATH: string;
export declare const VIEWED_PRODUCT: { handle: string; name: string };
export declare const BUNDLE: { handle: string; name: string; sku: string };
export declare function prepareShopper(context: BrowserContext, baseURL: string): Promise<void>;
export declare function anonymousIdOf(context: BrowserContext): Promise<string | null>;
export declare function browseAndAbandon(page: Page, options?: { pause?: () => Promise<unknown> }): Promise<void>;
export declare function createAccount(
  page: Page,
  who: { name: string; email: string; password: string },
): Promise<void>;
export declare function opsClient(
  baseUrl: string,
  token: string,
): { get<T = unknown>(path: string): Promise<T>; post<T = unknown>(path: string, body?: unknown): Promise<T> };
export declare function eventually<T>(what: string, check: () => Promise<T> | T, ms?: number): Promise<NonNullable<T>>;
