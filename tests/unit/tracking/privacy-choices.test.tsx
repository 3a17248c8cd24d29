import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BrowserTrackingConfig } from '@/lib/tracking/config';
import type { ConsentChoice } from '@/lib/tracking/consent';
import { ConsentBanner, consentBannerText } from '@/lib/tracking/consent-banner';
import { PrivacyChoicesButton } from '@/lib/tracking/privacy-choices-button';
import { TrackingProvider } from '@/lib/tracking/react';

// Privacy choices reopens the banner to change a choice already made: the banner must say which one it was, and the
// control is in every page, the banner only while asked for.
const config: BrowserTrackingConfig = {
  writeKey: 'wk',
  apiHost: 'localhost:3000/api/cdp/v1',
  protocol: 'http',
  consentMode: 'opt-out',
  strict: false,
};

const render = (consent: ConsentChoice | null) =>
  renderToStaticMarkup(
    <TrackingProvider config={config} initialConsent={consent}>
      <ConsentBanner />
      <PrivacyChoicesButton />
    </TrackingProvider>,
  );

describe('Privacy choices', () => {
  it('reopened, the banner says what the shopper chose; asked for the first time, it asks', () => {
    expect(consentBannerText('opt-out', 'granted')).toMatch(/^You accepted analytics\./);
    expect(consentBannerText('opt-in', 'denied')).toMatch(/^You declined analytics/);
    expect(consentBannerText('opt-in', null)).toMatch(/Nothing is collected until you accept/);
    expect(consentBannerText('opt-out', null)).toMatch(/You can decline/);
  });

  it('is a labelled, collapsed button while the banner is closed, whatever the choice', () => {
    for (const consent of ['granted', 'denied'] as const) {
      const html = render(consent);
      expect(html).toBe('<button type="button" aria-expanded="false" class="">Privacy choices</button>');
    }
  });

  it('leaves the first banner to ask, described by its question, without taking focus', () => {
    const html = render(null);
    expect(html).toContain('role="region" aria-label="Privacy choices" aria-describedby="consent-banner-text"');
    expect(html).toContain('<p id="consent-banner-text" class="flex-1">We use first-party analytics');
    expect(html).toContain('>Privacy choices</button>');
  });
});
