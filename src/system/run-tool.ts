/**
 * Runs a short tool (pacman-conf, pacman --version, logger, mount, the
 * systemd-sysext steps) and returns its output. Built on node:child_process
 * rather than execa because this sits on the pacman shim's slow path and on
 * lock, merge and settle: importing execa costs about 100 ms of Node start-up
 * here (measured: 0.16 s vs 0.06 s for `node -e 0`). guard extend's long
 * pipelines (bsdtar, pacman's resolver) use execa. node:child_process itself is imported only when a tool runs: it
 * brings net, stream and dgram along (about 10 ms of start-up measured by
 * --cpu-prof), and the hot paths answer from the tool cache (tool-cache.ts).
 */

export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
}

export class ToolError extends Error {
  constructor(message: string, readonly code: string | number | undefined, readonly stderr: string) {
    super(message);
    this.name = 'ToolError';
  }
}

export async function runTool(file: string, args: readonly string[], options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ToolResult> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = execFile(file, [...args], {
      encoding: 'utf8',
      timeout: options.timeoutMs ?? 10_000,
      env: { ...process.env, LC_ALL: 'C', ...options.env },
      maxBuffer: 16 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        reject(new ToolError(code === 'ENOENT' ? `${file} is not installed` : `${file} failed: ${stderr.trim() || error.message}`, code, stderr));
      } else resolve({ stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
