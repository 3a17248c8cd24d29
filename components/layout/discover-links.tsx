import { Link } from '@/components/layout/link';

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
