import { NotFoundBody } from '@/components/layout/not-found-body';
import { ShopChrome } from '@/components/layout/shop-chrome';

// Unmatched URLs (no route at all) render under the root layout only, so this one brings the shop's chrome.
// notFound() from a shop page renders app/(shop)/not-found.tsx instead, inside the (shop) layout's chrome.
export default function NotFound() {
  return (
    <ShopChrome>
      <NotFoundBody />
    </ShopChrome>
  );
}
