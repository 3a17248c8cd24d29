import { LoadingSkeleton } from '@/components/ops/loading-skeleton';

// The lists' skeleton, in the (console) group only. The pages by id (people/[id], segments/[id], outbox/[id],
// anonymous/[anonymousId]) sit outside it on purpose: under a loading boundary the 200 is sent with the skeleton
// before the page can find that the id is unknown, so its notFound() could only show "Not found" with a 200. They
// look the id up first (one indexed read), then stream the rest behind the same skeleton in a Suspense boundary.
export default function OpsLoading() {
  return <LoadingSkeleton />;
}
