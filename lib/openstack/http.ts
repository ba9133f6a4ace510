import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { readInputFile } from '../config/input-file.ts';
import type { Tls } from '../config/types.ts';
import { bodyText } from './body-text.ts';
import { EnvironmentError, isEnvironmentError } from './errors.ts';
import { redactBody, redactHeaders, redactText } from './redact.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface RequestSpec {
  readonly method: Method;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON with `Content-Type: application/json` unless a content type is given. */
  readonly json?: unknown;
  /** Sent byte for byte; for malformed or foreign bodies. */
  readonly rawBody?: string | Buffer;
  readonly timeoutMs?: number;
}

/** One request and its answer, redacted, as the reports show it. */
export interface Exchange {
  readonly seq: number;
  readonly startedAt: string;
  readonly method: Method;
  readonly url: string;
  readonly requestHeaders: Record<string, string | string[]>;
  readonly requestBody?: string;
  readonly status: number;
  /** Header names in lower case; repeated headers keep every value. */
  readonly headers: Readonly<Record<string, string[]>>;
  readonly text: string;
  /** The parsed body, or undefined when it was empty or not JSON. */
  readonly json: unknown;
  /**
   * Why a non-empty body was not parsed, when it was not simply "not JSON": a phrase such as
   * "it nests arrays and objects more than 64 levels deep ..." or "it is compressed ...". The
   * text then describes the body instead of holding it when it is compressed or not UTF-8.
   */
  readonly unparsed?: string;
  readonly durationMs: number;
  readonly requestId?: string;
  readonly retries: number;
}

export interface HttpOptions {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly tls?: Tls;
  /** Called with every exchange, for the reports. */
  readonly onExchange?: (exchange: Exchange) => void;
  /** How often a 429, or a 503 with Retry-After, is retried before its answer is returned. */
  readonly maxRetries?: number;
  /**
   * CONFORMANCE_READ_ONLY: refuse to send any POST, PUT, PATCH or DELETE except Keystone's token
   * request, whatever a caller asks. A last line of defence behind the suites' requireWrites.
   */
  readonly readOnly?: boolean;
}

/** The longest pause a Retry-After may impose on one retry, whatever the server asks. */
const MAX_RETRY_DELAY_MS = 30_000;

const MUTATING = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A request the read-only guard refused to send. */
export class ReadOnlyViolation extends Error {
  constructor(method: string, url: string) {
    super(
      `read-only run (CONFORMANCE_READ_ONLY=1): refused to send ${method} ${url}; a check that changes the cloud must call requireWrites`,
    );
    this.name = 'ReadOnlyViolation';
  }
}

function isTokenRequest(method: Method, url: string): boolean {
  if (method !== 'POST') return false;
  try {
    return /\/auth\/tokens$/.test(new URL(url).pathname.replace(/\/+$/, ''));
  } catch {
    return false;
  }
}

export function header(exchange: Pick<Exchange, 'headers'>, name: string): string | undefined {
  const values = exchange.headers[name.toLowerCase()];
  return values === undefined ? undefined : values.join(', ');
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** How a transport error reads when the connection closed before a complete answer. */
const DROPPED = 'the connection was closed before a complete answer';

/** Maps a transport failure to one readable line that says what to check. */
function describeTransportError(
  error: unknown,
  method: string,
  url: string,
  timeoutMs: number,
): EnvironmentError {
  const code = errorCode(error);
  const where = `${method} ${url}`;
  const name = error instanceof Error ? error.name : '';
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new EnvironmentError(
      'TIMEOUT',
      `${where}: no complete answer within ${timeoutMs / 1000} s (CONFORMANCE_REQUEST_TIMEOUT)`,
      { cause: error },
    );
  }
  if (code === 'ECONNREFUSED') {
    return new EnvironmentError(
      'UNREACHABLE',
      `${where}: connection refused; is the endpoint up and the URL right?`,
      { cause: error },
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new EnvironmentError('DNS', `${where}: host name could not be resolved (${code})`, {
      cause: error,
    });
  }
  if (
    code !== undefined &&
    (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))
  ) {
    return new EnvironmentError(
      'TLS',
      `${where}: TLS failed (${code}); set OS_CACERT to the CA that signed the endpoint's certificate`,
      { cause: error },
    );
  }
  if (
    code === 'ECONNRESET' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' ||
    code === 'UND_ERR_CLOSED' ||
    code === 'HPE_INVALID_CONSTANT' ||
    code === 'HPE_INVALID_CHUNK_SIZE'
  ) {
    return new EnvironmentError('UNREACHABLE', `${where}: ${DROPPED} (${code})`, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new EnvironmentError('UNREACHABLE', `${where}: request failed (${code ?? detail})`, {
    cause: error,
  });
}

const IDEMPOTENT_READS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * Whether a request's connection is closed after its answer. A server may answer a DELETE (204)
 * or a HEAD without a body and close the connection after it without saying so (Debian's uwsgi
 * for Nova does): kept alive, the next request would go out on a connection the server is closing.
 */
export function closesAfterAnswer(method: string): boolean {
  return method === 'DELETE' || method === 'HEAD';
}

/** The error of a connection that closed before a complete answer (describeTransportError). */
function isDroppedConnection(error: unknown): boolean {
  return isEnvironmentError(error) && error.code === 'UNREACHABLE' && error.message.includes(DROPPED);
}

function retryDelayMs(headers: Readonly<Record<string, string[]>>): number | undefined {
  const value = headers['retry-after']?.[0];
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * The one HTTP client of the harness: a keep-alive pool, a deadline per request, a cap on the
 * size of an answer, TLS from OS_CACERT/OS_INSECURE, and a redacted record of every exchange.
 */
export class HttpClient {
  private readonly agent: Agent;
  private seq = 0;

  constructor(private readonly options: HttpOptions) {
    const tls = options.tls;
    this.agent = new Agent({
      keepAliveTimeout: 10_000,
      connections: 16,
      connect: {
        rejectUnauthorized: !(tls?.insecure ?? false),
        ...(tls?.caFile !== undefined && {
          ca: readInputFile(tls.caFile, 'OS_CACERT', 'a PEM file of CA certificates'),
        }),
      },
    });
  }

  async send(spec: RequestSpec): Promise<Exchange> {
    if (this.options.readOnly === true && MUTATING.has(spec.method) && !isTokenRequest(spec.method, spec.url))
      throw new ReadOnlyViolation(spec.method, spec.url);
    const maxRetries = this.options.maxRetries ?? 3;
    for (let attempt = 0; ; attempt += 1) {
      const exchange = await this.onceOrAgain(spec, attempt);
      const wait = retryDelayMs(exchange.headers);
      const retryable = exchange.status === 429 || (exchange.status === 503 && wait !== undefined);
      // Bounded: after maxRetries the 429/503 itself is returned (with its retries count), so the
      // test fails on it with the evidence rather than waiting on a throttled cloud for ever.
      if (!retryable || attempt >= maxRetries) return exchange;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(wait ?? 1000 * 2 ** attempt, MAX_RETRY_DELAY_MS)),
      );
    }
  }

  /**
   * A read whose connection was dropped is sent once more, on a fresh connection: a server or a
   * proxy may close a kept-alive connection just as the next request goes out on it. Reads only:
   * a write sent twice could act twice.
   */
  private async onceOrAgain(spec: RequestSpec, retries: number): Promise<Exchange> {
    try {
      return await this.once(spec, retries);
    } catch (error) {
      if (!IDEMPOTENT_READS.has(spec.method) || !isDroppedConnection(error)) throw error;
      return this.once(spec, retries);
    }
  }

  private async once(spec: RequestSpec, retries: number): Promise<Exchange> {
    const timeoutMs = spec.timeoutMs ?? this.options.timeoutMs;
    // No compression: without Accept-Encoding any coding is acceptable (RFC 9110, 12.5.3), and
    // the suite reads bodies byte for byte. undici's request() adds none of its own.
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Encoding': 'identity',
      ...spec.headers,
    };
    let body: string | Buffer | undefined;
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['Content-Type'] = 'application/json';
    } else if (spec.rawBody !== undefined) {
      body = spec.rawBody;
    }
    const startedAt = new Date().toISOString();
    const started = performance.now();
    let status: number;
    let responseHeaders: Record<string, string[]>;
    let bytes: Buffer;
    try {
      const response = await request(spec.url, {
        method: spec.method,
        headers,
        body: body ?? null,
        dispatcher: this.agent,
        reset: closesAfterAnswer(spec.method),
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = response.statusCode;
      responseHeaders = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value === undefined) continue;
        responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value : [value];
      }
      const declared = Number(responseHeaders['content-length']?.[0]);
      if (Number.isFinite(declared) && declared > this.options.maxResponseBytes) {
        // Announced too large: do not read a byte of it.
        response.body.destroy();
        throw this.tooLarge(spec.method, spec.url);
      }
      bytes = await this.readCapped(response.body, spec.method, spec.url);
    } catch (error) {
      if (error instanceof EnvironmentError) throw error;
      throw describeTransportError(error, spec.method, spec.url, timeoutMs);
    }
    const durationMs = performance.now() - started;
    const { text, json, unparsed } = bodyText(bytes, responseHeaders['content-encoding']);
    const requestId =
      responseHeaders['x-openstack-request-id']?.[0] ?? responseHeaders['x-compute-request-id']?.[0];
    this.seq += 1;
    const exchange: Exchange = {
      seq: this.seq,
      startedAt,
      method: spec.method,
      url: spec.url,
      requestHeaders: redactHeaders(headers),
      ...(body !== undefined && { requestBody: redactBody(body.toString()) }),
      status,
      headers: redactHeaders(responseHeaders) as Record<string, string[]>,
      text: redactBody(text),
      json,
      ...(unparsed !== undefined && { unparsed }),
      durationMs,
      retries,
      ...(requestId !== undefined && { requestId }),
    };
    this.options.onExchange?.(exchange);
    // The caller gets the real response headers (Keystone's X-Subject-Token is the token) and the
    // body byte for byte (tests compare lengths and text); only known secret values are scrubbed
    // from it. The record that reaches reports is redacted by key as well.
    return { ...exchange, headers: responseHeaders, text: redactText(text) };
  }

  private async readCapped(
    body: AsyncIterable<Buffer> & { destroy(): unknown },
    method: string,
    url: string,
  ): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > this.options.maxResponseBytes) {
        body.destroy();
        throw this.tooLarge(method, url);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  private tooLarge(method: string, url: string): EnvironmentError {
    return new EnvironmentError(
      'TOO_LARGE',
      `${method} ${url}: the answer exceeded ${this.options.maxResponseBytes} bytes (CONFORMANCE_MAX_RESPONSE_BYTES); reading stopped`,
    );
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
