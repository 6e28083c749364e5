/**
 * guard status --prometheus and guard metrics against real merges and locks:
 * Prometheus' own promtool accepts the output, and a real node_exporter
 * serves the file guard metrics writes from its textfile directory.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, describeInTestbed, runInTestbed } from '../testbed/testbed.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusDocument } from '../../src/status/document.js';
import { renderPrometheus } from '../../src/metrics/prometheus.js';

/** Debian's prometheus (promtool) and prometheus-node-exporter packages; .ci/run installs them. */
const TOOLS = ['promtool', 'prometheus-node-exporter'];
const missing = TOOLS.filter((tool) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
});

/** A port free on the loopback interface right now, for node_exporter to listen on. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function suite(): void {
  it.each([
    ['nothing merged', {}, 'pacman_guard_engaged 0'],
    ['merged and locked', { merged: true, locked: true }, 'pacman_guard_locked 1'],
    ['merged but unlocked', { merged: true }, 'pacman_guard_merged_unlocked 1'],
  ])('promtool check metrics accepts guard status --prometheus: %s', async (_name, state, sample) => {
    const result = await runInTestbed(`
      $GUARD status --prometheus >/run/metrics.prom; echo "status $?"
      promtool check metrics </run/metrics.prom; echo "promtool $?"
      cat /run/metrics.prom >&2`, state);
    expect(result.stdout).toMatch(/^status [035]\npromtool 0\n$/);
    expect(result.stderr).toContain(`\n${sample}\n`);
  });

  it('promtool check metrics accepts the metrics of a state that could not be read (families without samples)', () => {
    const unknown = { ok: false as const, reason: 'cannot read /proc/self/mountinfo: EACCES' };
    const { document } = statusDocument({ dbPath: '/var/lib/pacman', mounts: unknown, merged: unknown, dbLock: unknown, transaction: unknown, image: unknown, update: unknown, view: unknown });
    const text = renderPrometheus({ status: document, hierarchies: ['/usr', '/opt', '/etc'], audit: undefined });
    expect(text).toContain('\npacman_guard_state_unknown 1\n');
    expect(execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })).toBe('');
  });

  it('node_exporter serves what guard metrics writes into its textfile directory', async () => {
    const port = await freeLoopbackPort();
    // Loopback only, bounded by timeout, and gone with the testbed's PID namespace in any case.
    const result = await runInTestbed(`
      mkdir /run/textfile
      $GUARD metrics --textfile-dir /run/textfile; echo "metrics $?"
      ls -A /run/textfile
      timeout 60 prometheus-node-exporter --web.listen-address=127.0.0.1:${port} \\
        --collector.disable-defaults --collector.textfile --collector.textfile.directory=/run/textfile 2>/run/exporter.log &
      node -e '
        const url = "http://127.0.0.1:${port}/metrics";
        (async () => {
          for (let attempt = 0; attempt < 100; attempt++) {
            try { process.stdout.write(await (await fetch(url)).text()); return; } catch { await new Promise((r) => setTimeout(r, 200)); }
          }
          process.exit(1);
        })();' >/run/scraped; echo "scrape $?"
      kill %1
      grep -E "^(pacman_guard_|node_textfile_)" /run/scraped`, { merged: true });
    expect(result.stdout).toContain('metrics 0\npacman-guard.prom\nscrape 0\n');
    expect(result.stdout).toContain('\nnode_textfile_scrape_error 0\n');
    expect(result.stdout).toContain('\npacman_guard_merged_unlocked 1\n');
    expect(result.stdout).toContain('\npacman_guard_merged_extensions{hierarchy="/usr"} 1\n');
    // What the README's PacmanGuardMetricsStale rule matches.
    expect(result.stdout).toMatch(/\nnode_textfile_mtime_seconds\{file="[^"]*pacman-guard\.prom"\} \d/);
  });

  it("promtool check rules accepts the sample alerting rules in docs/metrics.md", () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'docs/metrics.md'), 'utf8');
    const rules = /```yaml\n(groups:[\s\S]*?)```/.exec(readme)?.[1];
    expect(rules).toContain('pacman_guard_merged_unlocked == 1');
    expect(rules).toContain('pacman_guard_state_unknown == 1');
    const directory = mkdtempSync(join(tmpdir(), 'pacman-guard-rules-'));
    try {
      writeFileSync(join(directory, 'rules.yml'), rules!);
      expect(execFileSync('promtool', ['check', 'rules', join(directory, 'rules.yml')], { encoding: 'utf8' })).toContain('SUCCESS: 4 rules found');
    } finally {
      rmSync(directory, { recursive: true });
    }
  });

  it('guard metrics refuses a textfile directory that does not exist, and writes nothing', async () => {
    const result = await runInTestbed('$GUARD metrics --textfile-dir /run/nowhere; echo "metrics $?"; test -e /run/nowhere || echo absent');
    expect(result.stdout).toBe('metrics 1\nabsent\n');
    expect(result.stderr).toContain('error: cannot use /run/nowhere: ');
    expect(result.stderr).toContain('--textfile-dir');
  });

  it('guard status takes --json or --prometheus, not both', async () => {
    const result = await runInTestbed('$GUARD status --json --prometheus; echo "status $?"');
    expect(result.stdout).toBe('status 2\n');
    expect(result.stderr).toContain('error: --short, --json and --prometheus exclude each other');
  });
}

if (missing.length === 0) describeInTestbed('metrics for Prometheus', suite);
else if (process.env.CI === 'true' || process.env.CI === '1') {
  describe('metrics for Prometheus', () => {
    it('needs promtool and prometheus-node-exporter', () => {
      throw new Error(`not installed under CI: ${missing.join(', ')}`);
    });
  });
} else describe.skip(`metrics for Prometheus (skipped: not installed: ${missing.join(', ')})`, suite);
