/**
 * A tiny structured logger. Human-readable lines by default, JSON lines with
 * FACTDESK_LOG_FORMAT=json (or --log-format json) for log shippers. Always on stderr, so stdout
 * stays clean for --json output and exports piped into other tools.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(opts: {
  format?: 'text' | 'json';
  level?: LogLevel;
  write?: (line: string) => void;
} = {}): Logger {
  const format = opts.format ?? 'text';
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    if (format === 'json') {
      write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
      return;
    }
    const extra = fields
      ? Object.entries(fields)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ')
      : '';
    const prefix = level === 'info' ? '' : `${level}: `;
    write(`${prefix}${msg}${extra ? ` (${extra})` : ''}`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

/** A logger that drops everything: for tests and library callers that want silence. */
export const silentLogger: Logger = createLogger({ write: () => {} });
