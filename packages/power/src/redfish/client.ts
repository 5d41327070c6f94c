/** Requests to one Redfish service with basic auth, and what an answer's status means. */
import { PowerDriverError } from '../driver.js';
import { httpRequest, type HttpResponse } from '../http.js';
import type { RedfishParameters } from '../parameters.js';
import { excerpt, scrub } from '../text.js';

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The message a Redfish error body carries (`error.message`, or its first `@Message.ExtendedInfo`). */
export function redfishMessage(body: unknown): string | undefined {
  if (!isObject(body) || !isObject(body.error)) return undefined;
  const info = body.error['@Message.ExtendedInfo'];
  const first = Array.isArray(info) && isObject(info[0]) ? info[0].Message : undefined;
  const message = typeof first === 'string' ? first : body.error.message;
  return typeof message === 'string' ? message : undefined;
}

export class RedfishClient {
  constructor(
    private readonly p: RedfishParameters,
    private readonly signal: AbortSignal,
  ) {}

  get origin(): string {
    return this.p.address;
  }

  async request(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    what: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    const url = new URL(path, this.p.address);
    // Links come from the BMC: never send the credentials anywhere but the configured service.
    if (!path.startsWith('/') || url.origin !== new URL(this.p.address).origin) {
      throw new PowerDriverError('protocol', `${this.origin} linked to a resource outside itself: ${excerpt(path, 80)}`);
    }
    const response = await httpRequest({
      url: url.href,
      method,
      body,
      headers: { 'odata-version': '4.0', ...headers },
      basicAuth: { username: this.p.username, password: this.p.password },
      verifyTls: this.p.verifyTls,
      signal: this.signal,
    });
    if (response.status >= 200 && response.status < 300) return response;
    throw this.failure(response, method, path, what);
  }

  async getObject(path: string, what: string): Promise<{ body: Json; etag: string | undefined }> {
    const response = await this.request('GET', path, what);
    if (!isObject(response.json)) {
      throw new PowerDriverError(
        'protocol',
        `${method('GET', path)} on ${this.origin} answered no JSON object: ${this.quote(response.text)}`,
      );
    }
    const etag = response.headers.etag;
    return { body: response.json, etag: typeof etag === 'string' ? etag : undefined };
  }

  private quote(text: string): string {
    return scrub(excerpt(text, 160), this.p.password) || '(empty)';
  }

  failure(response: HttpResponse, verb: string, path: string, what: string): PowerDriverError {
    const { status } = response;
    const said = redfishMessage(response.json);
    const detail = said ? `: ${scrub(excerpt(said, 200), this.p.password)}` : '';
    const where = `${method(verb, path)} on ${this.origin}`;
    if (status === 401)
      return new PowerDriverError(
        'auth',
        `Redfish service ${this.origin} rejected the credentials of user '${this.p.username}' (HTTP 401)`,
      );
    if (status === 403)
      return new PowerDriverError('auth', `user '${this.p.username}' may not ${what} on ${this.origin} (HTTP 403${detail})`);
    if (status === 404) return new PowerDriverError('config', `${where}: not found (HTTP 404); check systemPath`);
    if (status === 405 || status === 501)
      return new PowerDriverError('unsupported', `${this.origin} cannot ${what} (HTTP ${status}${detail})`);
    if (status >= 500) return new PowerDriverError('protocol', `${where} failed (HTTP ${status}${detail})`);
    if (status >= 400) return new PowerDriverError('refused', `${this.origin} refused to ${what} (HTTP ${status}${detail})`);
    return new PowerDriverError('protocol', `${where} answered HTTP ${status} (redirects are not followed)${detail}`);
  }
}

function method(verb: string, path: string): string {
  return `${verb} ${path}`;
}
