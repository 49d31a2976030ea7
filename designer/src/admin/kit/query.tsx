// Server state through one data layer: TanStack Query over the app's ApiClient. Query keys are the
// API paths, so invalidating '/api/pause-reasons' refreshes every view of that list.
import { keepPreviousData, QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ApiError, type ApiClient } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // A refusal (4xx) will not change by asking again; the network or a 5xx might.
        retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(createQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/** GET `path` through the session's client; the key is the path. */
export function useApiQuery<T>(path: string, options: Omit<UseQueryOptions<T, ApiError>, 'queryKey' | 'queryFn'> = {}) {
  const { api } = useSession();
  return useQuery<T, ApiError>({ queryKey: [path], queryFn: () => api.get<T>(path), ...options });
}

/**
 * One page of a paged list (rows and the X-Total-Count total); while the next page loads the
 * previous one stays on screen, so paging and typing a search do not blank the table.
 */
export function useApiPage<T>(path: string) {
  const { api } = useSession();
  return useQuery<{ rows: T[]; total: number }, ApiError>({ queryKey: [path], queryFn: () => api.getPage<T>(path), placeholderData: keepPreviousData });
}

/**
 * A write through the session's client; on success the listed paths (and queries under them, as
 * '/api/queues' covers '/api/queues?channel=voice') are refetched.
 */
export function useApiMutation<TInput, TResult>(run: (api: ApiClient, input: TInput) => Promise<TResult>, invalidates: readonly string[]) {
  const { api } = useSession();
  const client = useQueryClient();
  return useMutation<TResult, ApiError, TInput>({
    mutationFn: (input) => run(api, input),
    onSuccess: async () => {
      await client.invalidateQueries({ predicate: (query) => typeof query.queryKey[0] === 'string' && invalidates.some((p) => (query.queryKey[0] as string).startsWith(p)) });
    },
  });
}
