import { NotFoundBody } from '@/components/layout/not-found-body';

// notFound() in a shop page (unknown product, collection or order) lands here, already inside the (shop)
// layout's chrome. Without this file the root not-found (which brings its own chrome) rendered inside it.
export default function ShopNotFound() {
  return <NotFoundBody />;
}
