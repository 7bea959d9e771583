/**
 * The api for React: a context holding the Bridge plus query and mutation hooks.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Bridge } from '../../../electron/shared/api-protocol.js';
import { CHANNEL_NAMES } from '../../../electron/shared/channel-names.js';
import { useRefusal } from './access.js';
import { ApiError, bridgeHas, invoke, type AnyChannel, type AnyInput, type AnyOutput } from './invoke.js';

interface ApiValue {
  readonly bridge: Bridge;
  readonly channels: ReadonlySet<string>;
}

const ApiContext = createContext<ApiValue | null>(null);

export interface ApiProviderProps {
  readonly bridge: Bridge;
  /** Channels this build offers; defaults to the contract's (an older preload may offer fewer). */
  readonly channels?: readonly string[];
  readonly children: ReactNode;
}

/** Makes the bridge available to every page. */
export function ApiProvider({ bridge, channels = CHANNEL_NAMES, children }: ApiProviderProps): ReactNode {
  const value = useMemo(() => ({ bridge, channels: new Set(channels) }), [bridge, channels]);
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

/** The bridge of the nearest ApiProvider. */
export function useApi(): ApiValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi must be used inside <ApiProvider>.');
  return value;
}

/** Whether the running build offers `channel` (an older main process may lack newer ones). */
export function useChannelAvailable(channel: AnyChannel): boolean {
  const { bridge, channels } = useApi();
  return channels.has(channel) && bridgeHas(bridge, channel);
}

export interface QueryState<T> {
  readonly data: T | undefined;
  readonly error: ApiError | null;
  readonly loading: boolean;
  readonly refetch: () => void;
}

/**
 * Runs `channel` with `input` when `deps` change, and again whenever the catalog changes
 * (and, after a failure, when the connection to the server comes back).
 *
 * Pass `input = null` to skip (e.g. while a selection is empty or the channel is absent).
 * Stale answers are dropped, so fast typing in a filter cannot show an older page.
 */
export function useQuery<C extends AnyChannel>(channel: C, input: AnyInput<C> | null, deps: readonly unknown[]): QueryState<AnyOutput<C>> {
  const { bridge } = useApi();
  const [state, setState] = useState<{ data: AnyOutput<C> | undefined; error: ApiError | null; loading: boolean }>({
    data: undefined, error: null, loading: input !== null,
  });
  const [tick, setTick] = useState(0);
  const inputRef = useRef(input);
  inputRef.current = input;
  const refetch = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => bridge.subscribe('catalog:changed', () => setTick((n) => n + 1)), [bridge]);

  // When the connection comes back after a loss, the query asks again: one that failed
  // meanwhile ("Cannot reach the Ontocat server") kept its error until Retry, and one that
  // had its answer missed every catalog:changed sent while the stream was down. Any failed
  // query asks too (a lasting error just comes back the same); the first open does not.
  const failed = useRef(false);
  failed.current = state.error !== null;
  const lost = useRef(false);
  useEffect(() => bridge.watchConnection?.((connected) => {
    if (!connected) { lost.current = true; return; }
    if (lost.current || failed.current) { lost.current = false; refetch(); }
  }), [bridge, refetch]);

  useEffect(() => {
    const current = inputRef.current;
    if (current === null) { setState({ data: undefined, error: null, loading: false }); return; }
    let live = true;
    setState((prev) => ({ ...prev, loading: true }));
    void invoke(bridge, channel, current).then((result) => {
      if (!live) return;
      if (result.ok) setState({ data: result.data, error: null, loading: false });
      else setState({ data: undefined, error: new ApiError(result.code, result.message), loading: false });
    });
    return () => { live = false; };
  }, [bridge, channel, tick, input === null, ...deps]);

  return { ...state, refetch };
}

export interface MutationState<C extends AnyChannel> {
  /** Runs the channel; resolves to the data, or throws an ApiError the caller may show. */
  readonly run: (input: AnyInput<C>) => Promise<AnyOutput<C>>;
  readonly pending: boolean;
  readonly error: ApiError | null;
  readonly reset: () => void;
  /** Why the signed-in user's role may not run this channel (team server), or null. */
  readonly refusal: string | null;
}

/** A write (or on-demand) call with pending/error state. */
export function useMutation<C extends AnyChannel>(channel: C): MutationState<C> {
  const { bridge } = useApi();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async (input: AnyInput<C>) => {
    setPending(true);
    setError(null);
    try {
      const result = await invoke(bridge, channel, input);
      if (!result.ok) {
        const failure = new ApiError(result.code, result.message);
        setError(failure);
        throw failure;
      }
      return result.data;
    } finally {
      setPending(false);
    }
  }, [bridge, channel]);
  const reset = useCallback(() => setError(null), []);
  const refusal = useRefusal(channel);
  return { run, pending, error, reset, refusal };
}
