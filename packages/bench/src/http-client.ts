import { Agent, request } from 'node:http';

export interface HttpReply {
  status: number;
  body: string;
}

/**
 * A keep-alive HTTP client for raw tRPC calls: the bench measures the server, so it speaks the
 * wire format directly instead of going through the SDK.
 */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    connections: number,
    private readonly token?: string,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  post(path: string, body: unknown): Promise<HttpReply> {
    return this.send('POST', path, JSON.stringify(body));
  }

  /** A tRPC query: GET with the input URL-encoded. */
  query(path: string, input: unknown): Promise<HttpReply> {
    return this.send('GET', `${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
  }

  get(path: string): Promise<HttpReply> {
    return this.send('GET', path);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, body?: string): Promise<HttpReply> {
    const headers: Record<string, string | number> = {};
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.baseUrl), { method, headers, agent: this.agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** The `result.data` of a successful tRPC reply, or an error naming the call and what the server said. */
export function trpcData<T>(reply: HttpReply, call: string): T {
  if (reply.status !== 200) throw new Error(`${call} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
  return (JSON.parse(reply.body) as { result: { data: T } }).result.data;
}

/** Runs `worker(index)` on `concurrency` loops at once and waits for all of them. */
export async function runConcurrently(concurrency: number, worker: (index: number) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
}
