export function hasOutlinedSkeleton(html: string): boolean;
export function outlinedPages(dist?: string): string[];
