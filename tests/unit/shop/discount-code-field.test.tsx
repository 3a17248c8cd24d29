import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DiscountCodeField } from '@/components/checkout/discount-code-field';

// The code's answer comes with the quote while focus stays on Apply (or in the field, after Enter): unless it lands
// in a live region that was already on the page, a screen reader never hears that the code was refused.
const render = (props: { applied?: string; error?: string }) =>
  renderToStaticMarkup(<DiscountCodeField applied={props.applied} error={props.error} onApply={() => {}} />);

/** The text inside the field's polite live region, or null when there is none. */
function liveText(html: string): string | null {
  const region = /<div aria-live="polite">(.*?)<\/div>/.exec(html);
  return region
    ? region[1]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    : null;
}

describe('the discount code field', () => {
  it('has its live region before any code is applied, so the answer is announced when it arrives', () => {
    expect(liveText(render({}))).toBe('Optional.');
  });

  it('announces a refused code with its reason, which is also the field’s description', () => {
    const error = '"BOGUS" is not a discount code we know. Check the spelling.';
    const html = render({ error });
    expect(liveText(html)).toContain('&quot;BOGUS&quot; is not a discount code we know.');
    const errorId = /<p id="([^"]+-error)"/.exec(html)?.[1];
    expect(html).toMatch(new RegExp(`aria-describedby="[^"]*${errorId}`));
    expect(html).toContain('aria-invalid="true"');
  });

  it('announces a code that applies', () => {
    expect(liveText(render({ applied: 'WELCOME10' }))).toBe('WELCOME10 applied: see the summary.');
  });
});
