import Link from 'next/link';
import { EmptyState } from '@/components/ops/empty-state';
import { PageHeader } from '@/components/ops/page-header';

// notFound() in an ops page (an unknown person, message or segment): inside the console's layout and nav.
export default function OpsNotFound() {
  return (
    <>
      <PageHeader title="Not found" />
      <EmptyState title="Nothing here by that id">
        It may have been deleted, or the link is mistyped.{' '}
        <Link href="/ops" className="underline underline-offset-2">
          Back to the console
        </Link>
      </EmptyState>
    </>
  );
}
