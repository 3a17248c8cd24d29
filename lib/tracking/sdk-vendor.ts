'use client';

/**
 * The Customer.io browser SDK alone, which ./sdk.ts imports dynamically so that it is evaluated in a task of its
 * own: its evaluation is the longest step of loading tracking. Importing the package itself there would evaluate all
 * of it (its other entry points too: over twice the code); through this module only what sdk.ts uses: the SDK, and
 * its storage classes for ./sdk-storage.ts.
 */
export { AnalyticsBrowser, Cookie, LocalStorage } from '@customerio/cdp-analytics-browser';
