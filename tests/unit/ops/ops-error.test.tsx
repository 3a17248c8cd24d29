import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import OpsError from '@/app/ops/error';

// A console page that throws (the pipeline's database not answering) is explained inside the console, with a retry,
// instead of Next's bare error page.
describe("the console's error page", () => {
  it('says the page could not be loaded, offers a retry and quotes the reference of the logged error', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED'), { digest: '1234567' });
    const html = renderToStaticMarkup(<OpsError error={error} reset={() => {}} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain('This page could not be loaded');
    expect(html).toMatch(/<button[^>]*>Try again<\/button>/);
    expect(html).toContain('<code>1234567</code>');
    // The error's own message is for the server's log, not the page.
    expect(html).not.toContain('ECONNREFUSED');
  });
});
