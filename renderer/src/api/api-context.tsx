/**
 * The api for React: a context holding the Bridge plus query and mutation hooks.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Bridge } from '../../../electron/shared/api-protocol.js';
import { CHANNEL_NAMES } from '../../../electron/shared/channel-names.js';
import { useRefusal } from './access.js';
import { ApiError, bridgeHas, invoke, newRequestId, type AnyChannel, type AnyInput, type AnyOutput } from './invoke.js';

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
  /**
   * `data` is the last answer of other deps (within `keepWithin`), shown while these load:
   * what it says of its own search or filter ("No files match", a count's query) is not
   * about the current one. False while the same deps are asked again (a catalog change).
   */
  readonly stale: boolean;
  readonly refetch: () => void;
  /** The request id of the latest ask: the jobs it starts carry it (useJobProgress follows them). */
  readonly requestId: string | null;
}

export interface QueryOptions {
  /** Deps whose change drops the last answer; other deps keep it shown while loading. Defaults to all of `deps`. */
  readonly keepWithin?: readonly unknown[];
}

interface QueryAnswer<T> {
  readonly data: T | undefined;
  readonly error: ApiError | null;
  readonly loading: boolean;
  /** The deps and scope this answer was asked with. */
  readonly deps: readonly unknown[];
  readonly scope: readonly unknown[];
  /** The ask (refetch or catalog change) it answers; a later one makes it loading at once. */
  readonly tick: number;
  /** The request id of the latest ask (see QueryState.requestId). */
  readonly requestId: string | null;
}

const sameValues = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  a.length === b.length && a.every((value, i) => Object.is(value, b[i]));

/**
 * Runs `channel` with `input` when `deps` change, and again whenever the catalog changes
 * (and, after a failure, when the connection to the server comes back).
 *
 * Pass `input = null` to skip (e.g. while a selection is empty or the channel is absent).
 * Stale answers are dropped, so fast typing in a filter cannot show an older page.
 *
 * An answer belongs to the `deps` it was asked with. When they change, the last answer is
 * dropped at once (a version page must not show the version left, under the new one's
 * heading, while the next loads), unless `options.keepWithin` is the same as when it was
 * asked: a list passes the identity of what it lists (the version, the pair) there, so its
 * filter tabs, search box, sort and pager stay in place (with the focus) and the last rows
 * stay in view, marked loading, instead of a skeleton.
 */
export function useQuery<C extends AnyChannel>(channel: C, input: AnyInput<C> | null, deps: readonly unknown[], options: QueryOptions = {}): QueryState<AnyOutput<C>> {
  const { bridge } = useApi();
  const keyDeps = [channel, input === null, ...deps];
  const scope = [channel, input === null, ...(options.keepWithin ?? deps)];
  const [state, setState] = useState<QueryAnswer<AnyOutput<C>>>({
    data: undefined, error: null, loading: input !== null, deps: keyDeps, scope, tick: 0, requestId: null,
  });
  const [tick, setTick] = useState(0);
  const inputRef = useRef(input);
  inputRef.current = input;
  const keyRef = useRef({ deps: keyDeps, scope });
  keyRef.current = { deps: keyDeps, scope };
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
    const asked = { ...keyRef.current, tick };
    if (current === null) { setState({ data: undefined, error: null, loading: false, ...asked, requestId: null }); return; }
    let live = true;
    const requestId = newRequestId();
    setState((prev) => ({ ...prev, loading: true, requestId }));
    void invoke(bridge, channel, current, { requestId }).then((result) => {
      if (!live) return;
      if (result.ok) setState({ data: result.data, error: null, loading: false, ...asked, requestId });
      else setState({ data: undefined, error: new ApiError(result.code, result.message), loading: false, ...asked, requestId });
    });
    return () => { live = false; };
  }, [bridge, channel, tick, input === null, ...deps]);

  // Decided while rendering, not in the effect: the first render with new deps, or after
  // Preview again or a catalog change, must not show the old answer as settled even for one
  // frame (a Confirm enabled there would act on it).
  const askedAgain = input !== null && state.tick !== tick;
  if (sameValues(state.deps, keyDeps)) return { data: state.data, error: state.error, loading: state.loading || askedAgain, stale: false, refetch, requestId: state.requestId };
  if (sameValues(state.scope, scope)) return { data: state.data, error: null, loading: true, stale: state.data !== undefined, refetch, requestId: state.requestId };
  return { data: undefined, error: null, loading: input !== null, stale: false, refetch, requestId: state.requestId };
}

export interface MutationState<C extends AnyChannel> {
  /** Runs the channel; resolves to the data, or throws an ApiError the caller may show. */
  readonly run: (input: AnyInput<C>) => Promise<AnyOutput<C>>;
  readonly pending: boolean;
  readonly error: ApiError | null;
  readonly reset: () => void;
  /** Why the signed-in user's role may not run this channel (team server), or null. */
  readonly refusal: string | null;
  /**
   * The request id of the latest run: the owner marks the jobs it starts with it, so its
   * progress bar follows them and not another client's job of the same kind.
   */
  readonly requestId: string | null;
}

/** A write (or on-demand) call with pending/error state. */
export function useMutation<C extends AnyChannel>(channel: C): MutationState<C> {
  const { bridge } = useApi();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [requestId, setRequestId] = useState<string | null>(null);
  const run = useCallback(async (input: AnyInput<C>) => {
    const id = newRequestId();
    // Set with pending, in the same render: the progress hooks see both at once.
    setRequestId(id);
    setPending(true);
    setError(null);
    try {
      const result = await invoke(bridge, channel, input, { requestId: id });
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
  return { run, pending, error, reset, refusal, requestId };
}
