'use client';

import { useTracking } from './react';

/**
 * The "Privacy choices" control (a footer link, as a rule): reopens the consent banner, which says what the shopper
 * chose and offers Accept / Decline again, so a choice is as easy to withdraw or undo as it was to give. Its own
 * module and tiny: it is in every page's first load, the banner it opens is not.
 */
export function PrivacyChoicesButton({ className = '' }: { className?: string }) {
  const { openChoices, choosing } = useTracking();
  return (
    <button type="button" onClick={openChoices} aria-expanded={choosing} className={className}>
      Privacy choices
    </button>
  );
}
