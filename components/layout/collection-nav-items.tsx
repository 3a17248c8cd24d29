import { Link } from '@/components/layout/link';
import { listCollections } from '@/lib/shop/domain/catalog';

// Apart from ./discover-links.tsx, which the cart (a client component) shows: that one must not load the catalogue.

/** One `<li>` per collection, for the header and footer navigation. */
export function CollectionNavItems() {
  return listCollections().map((c) => (
    <li key={c.id}>
      <Link href={`/collections/${c.handle}`} className="hover:text-stone-950">
        {c.name}
      </Link>
    </li>
  ));
}
