import Link from 'next/link';
import { listCollections } from '@/lib/shop/domain/catalog';

/** The two ways into the catalogue, offered wherever a shopper lands with nothing to look at. */
export function DiscoverLinks({ className = 'mt-6' }: { className?: string }) {
  return (
    <div className={`${className} flex flex-wrap justify-center gap-3`}>
      <Link href="/collections" className="btn-primary">
        Shop collections
      </Link>
      <Link href="/quiz" className="btn-secondary">
        Take the skin quiz
      </Link>
    </div>
  );
}

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
