interface LoadMoreProps {
  /** From the infinite query: whether the server has another page, and whether it is coming. */
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage(): unknown;
  label: string;
  className?: string;
}

/** Loads the next page of a list the server sends a page at a time. */
export function LoadMore({ hasNextPage, isFetchingNextPage, fetchNextPage, label, className = 'button' }: LoadMoreProps) {
  if (!hasNextPage) return null;
  return (
    <button type="button" className={className} onClick={() => fetchNextPage()} disabled={isFetchingNextPage}>
      {isFetchingNextPage ? 'Loading…' : label}
    </button>
  );
}
