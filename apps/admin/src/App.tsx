import { useEffect, useRef, useState } from 'react';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ClientProvider, createBrowserClient } from './api/client.js';
import { httpStatusOf, isUnauthorized } from './api/errors.js';
import { Shell } from './screens/Shell.js';
import { SignIn } from './screens/SignIn.js';
import { SessionProvider, useSession } from './session.js';

const SESSION_ENDED = 'Your session has ended: the server no longer accepts this token. Sign in again.';

export function App() {
  return (
    <SessionProvider>
      <SignedInApp />
    </SessionProvider>
  );
}

function SignedInApp() {
  const session = useSession();
  const token = useRef(session.token);
  token.current = session.token;
  const [client] = useState(() => createBrowserClient(() => token.current));
  const [queryClient] = useState(() => {
    // A 401 anywhere means the token is gone: back to the sign-in, saying why.
    const onError = (error: unknown) => {
      if (isUnauthorized(error)) session.signOut(SESSION_ENDED);
    };
    return new QueryClient({
      queryCache: new QueryCache({ onError }),
      mutationCache: new MutationCache({ onError }),
      defaultOptions: {
        // Retry only when the server could not be reached; a refusal will not change on its own.
        queries: { retry: (failures, error) => httpStatusOf(error) === undefined && failures < 2, staleTime: 1_000 },
      },
    });
  });
  useEffect(() => {
    if (session.token === null) queryClient.clear();
  }, [session.token, queryClient]);

  return (
    <ClientProvider client={client}>
      <QueryClientProvider client={queryClient}>{session.token === null ? <SignIn /> : <Shell />}</QueryClientProvider>
    </ClientProvider>
  );
}
