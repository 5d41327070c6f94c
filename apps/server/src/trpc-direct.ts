import type { IncomingMessage, ServerResponse } from 'node:http';
import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, type TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { appRouter, errorHeaders, type Context } from '@metalyard/api';

/** What a request needs to be answered here; the rest goes to tRPC's own handler. */
export interface DirectCallOptions {
  /** The context for a request, as tRPC's handler makes it. */
  createContext: (req: IncomingMessage) => Context;
  /** Told of every failed call, as tRPC's handler tells its onError. */
  onError: (opts: { error: TRPCError; path?: string | undefined; input?: unknown; req: IncomingMessage }) => void;
  /** tRPC's handler: it answers what this one does not take, and bodies this one could not parse. */
  fallback: (req: IncomingMessage, res: ServerResponse) => void;
}

type ProcedureType = 'query' | 'mutation' | 'subscription';
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType } } | undefined>;
const config = appRouter._def._config;
const JSON_HEADERS = { 'content-type': 'application/json', vary: 'trpc-accept, accept' };

/**
 * One query or mutation per request (unbatched, or a batch of one, as the SDK sends): the procedure
 * is called as tRPC's handler calls it — the same middlewares, input and output validation, error
 * formatter, onError and Retry-After — and the answer is written in tRPC's wire format, without the
 * handler's round trip through a Fetch Request and Response, which took about a seventh of the
 * server's time per call. Everything else (batches of several, subscriptions, unknown procedures, a
 * method that does not fit, other content types, bodies that are not JSON) goes to tRPC's handler.
 *
 * Returns whether it took the request; `path` is the procedure path after /trpc/, `search` the query string.
 */
export function createDirectTrpcCalls(options: DirectCallOptions) {
  return (req: IncomingMessage, res: ServerResponse, path: string, search: URLSearchParams): boolean => {
    if (req.headers['trpc-accept'] !== undefined || req.headers.accept === 'application/jsonl') return false;
    const batch = search.get('batch');
    for (const key of search.keys()) if (key !== 'batch' && key !== 'input') return false;
    if (batch !== null && batch !== '1') return false;
    let procedurePath: string;
    try {
      procedurePath = decodeURIComponent(path);
    } catch {
      return false;
    }
    if (procedurePath.includes(',')) return false;
    const type = procedures[procedurePath]?._def.type;
    // Queries come as GET and mutations as POST; anything else (subscriptions too) is tRPC's to answer.
    if (!((type === 'query' && req.method === 'GET') || (type === 'mutation' && req.method === 'POST'))) return false;
    const call = { path: procedurePath, type, batched: batch === '1' };
    if (req.method === 'GET') {
      const text = search.get('input');
      const input = text === null ? { ok: true as const, value: undefined } : parseJson(text);
      if (!input.ok) return false;
      const raw = unwrapBatch(call.batched, input.value);
      if (!raw.ok) return false;
      void answer(options, req, res, call, raw.value);
      return true;
    }
    if (!req.headers['content-type']?.startsWith('application/json') || req.headers['content-length'] === undefined) return false;
    readBody(req).then(
      (text) => {
        const input = text === '' ? { ok: false as const } : parseJson(text);
        const raw = input.ok ? unwrapBatch(call.batched, input.value) : { ok: false as const };
        if (raw.ok) return answer(options, req, res, call, raw.value);
        // Not JSON, or not a batch of one: tRPC's handler reads the body from req.body and says why.
        (req as IncomingMessage & { body?: string }).body = text;
        options.fallback(req, res);
      },
      () => res.destroy(),
    );
    return true;
  };
}

type Parsed = { ok: true; value: unknown } | { ok: false };

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A batch of one carries its input under "0"; an empty batch input means no input. */
function unwrapBatch(batched: boolean, value: unknown): Parsed {
  if (!batched) return { ok: true, value };
  if (value === undefined) return { ok: true, value: undefined };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false };
  const keys = Object.keys(value);
  if (keys.length === 0) return { ok: true, value: undefined };
  if (keys.length !== 1 || keys[0] !== '0') return { ok: false };
  return { ok: true, value: (value as Record<string, unknown>)['0'] };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

async function answer(
  options: DirectCallOptions,
  req: IncomingMessage,
  res: ServerResponse,
  call: { path: string; type: 'query' | 'mutation'; batched: boolean },
  input: unknown,
): Promise<void> {
  const aborted = new AbortController();
  // Aborted only when the client went away first (an abort builds a DOMException: not for every answer).
  res.once('close', () => {
    if (!res.writableFinished) aborted.abort();
  });
  let ctx: Context | undefined;
  let body: unknown;
  let status = 200;
  let headers: Record<string, string> = {};
  try {
    ctx = options.createContext(req);
    const data: unknown = await callTRPCProcedure({
      router: appRouter,
      path: call.path,
      getRawInput: () => Promise.resolve(input),
      ctx,
      type: call.type,
      signal: aborted.signal,
      batchIndex: 0,
    });
    body = { result: { data } };
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    options.onError({ error, path: call.path, input, req });
    const shape = getErrorShape({ config, ctx, error, input, path: call.path, type: call.type });
    const declared = (shape.data as { httpStatus?: unknown } | undefined)?.httpStatus;
    status = typeof declared === 'number' ? declared : getHTTPStatusCodeFromError(error);
    headers = errorHeaders([error]);
    body = { error: shape };
  }
  if (res.destroyed) return;
  const text = JSON.stringify(call.batched ? [body] : body);
  res.writeHead(status, { ...JSON_HEADERS, ...headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
