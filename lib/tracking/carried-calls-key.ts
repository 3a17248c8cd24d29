/**
 * Where a page leaving with unsent calls puts them for the tab's next page (sessionStorage: this tab only;
 * ./carry-over.ts). Its own module: forget-storage.ts deletes it without loading carry-over.ts's code.
 */
export const CARRIED_CALLS_KEY = 'glowlab_unsent_calls';
