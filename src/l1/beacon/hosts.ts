import { errorMessage } from '../../foundation/errors/index.js';
import { BeaconConfigError } from './errors.js';

/** One beacon node API endpoint and how to authenticate to it. */
export interface BeaconHostConfig {
  /** Base URL, e.g. `https://beacon.example.org` (may contain a path prefix). */
  url: string;
  /** API key; sent in `apiKeyHeader` when set, else appended as `?key=<apiKey>`. Never logged. */
  apiKey?: string;
  /** Name of the header carrying `apiKey` (e.g. `X-API-KEY`). */
  apiKeyHeader?: string;
}

/** The answer of one host to one GET. */
export interface HostAnswer {
  status: number;
  /** Parsed JSON body, `undefined` when the body is not JSON. */
  body: unknown;
}

/** A failure worth retrying later or on another host: network error, timeout, 429 or 5xx. */
export class TransientHostError extends Error {
  constructor(
    message: string,
    /** Milliseconds the host asked us to wait (`Retry-After`), if it did. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Builds the host list from the node's config (`--l1-consensus-host-url(s)`, `-api-key(s)`, `-api-key-header(s)`). */
export function hostsFromConfig(config: {
  l1ConsensusHostUrls: readonly string[];
  l1ConsensusHostApiKeys?: readonly string[];
  l1ConsensusHostApiKeyHeaders?: readonly string[];
}): BeaconHostConfig[] {
  const urls = config.l1ConsensusHostUrls;
  const keys = config.l1ConsensusHostApiKeys ?? [];
  const headers = config.l1ConsensusHostApiKeyHeaders ?? [];
  if (keys.length > urls.length || headers.length > urls.length) {
    throw new BeaconConfigError(
      `${urls.length} consensus host URL(s) but ${keys.length} API key(s) and ${headers.length} header name(s); ` +
        'give keys and header names in the same order as --l1-consensus-host-urls (empty entries for none)',
    );
  }
  return urls.map((url, i) => {
    const apiKey = keys[i]?.trim();
    const apiKeyHeader = headers[i]?.trim();
    return { url, ...(apiKey ? { apiKey } : {}), ...(apiKeyHeader ? { apiKeyHeader } : {}) };
  });
}

/** A beacon host ready to be queried: joins paths, adds the key and redacts it from anything it reports. */
export class BeaconHost {
  /** The URL without query string or credentials: safe to log. */
  readonly label: string;
  private readonly base: URL;

  constructor(
    private readonly config: BeaconHostConfig,
    private readonly timeoutMs: number,
  ) {
    try {
      this.base = new URL(config.url);
    } catch {
      throw new BeaconConfigError(`consensus host URL is not a URL: ${redactUrl(config.url)}`);
    }
    if (config.apiKeyHeader !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(config.apiKeyHeader)) {
      throw new BeaconConfigError(`API key header name "${config.apiKeyHeader}" is not a valid HTTP header name`);
    }
    this.label = redactUrl(config.url);
  }

  /** GETs `path` (with `query`) and parses JSON; throws `TransientHostError` for anything worth retrying. */
  async get(path: string, query: Record<string, string> = {}): Promise<HostAnswer> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [k, v] of this.base.searchParams) url.searchParams.set(k, v);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.config.apiKey !== undefined) {
      if (this.config.apiKeyHeader !== undefined) headers[this.config.apiKeyHeader] = this.config.apiKey;
      else url.searchParams.set('key', this.config.apiKey);
    }
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
      text = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const why = timedOut ? `timed out after ${this.timeoutMs} ms` : networkReason(err);
      throw new TransientHostError(this.redact(`${this.label}${path}: ${why}`));
    }
    if (res.status === 429 || res.status >= 500) {
      throw new TransientHostError(
        this.redact(`${this.label}${path}: HTTP ${res.status} ${text.slice(0, 120)}`.trim()),
        retryAfterMs(res.headers.get('retry-after')),
      );
    }
    let body: unknown;
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  }

  /** Removes the API key from a message (hosts may echo the URL back). */
  redact(message: string): string {
    const key = this.config.apiKey;
    if (!key) return message;
    return message.split(key).join('<redacted>').split(encodeURIComponent(key)).join('<redacted>');
  }
}

/** A URL without its query string and user info, for logs and errors. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return raw.replace(/[?#].*$/, '').replace(/\/\/[^@/]*@/, '//');
  }
}

function networkReason(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : errorMessage(err);
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
