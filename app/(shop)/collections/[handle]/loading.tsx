import { PageSkeleton } from '@/components/layout/page-skeleton';

// Not in the root: a root loading boundary streams a 200 before a page can call notFound() (e.g. /orders/[id]).
export default PageSkeleton;
