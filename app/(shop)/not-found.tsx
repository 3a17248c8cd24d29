import { NotFoundBody } from '@/components/layout/not-found-body';

// notFound() in a shop page (unknown product, collection or order), and every URL no route matches (app/(shop)/
// [...missing]), lands here, already inside the (shop) layout's chrome.
export default function ShopNotFound() {
  return <NotFoundBody />;
}
