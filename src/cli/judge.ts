/**
 * Decides what happens to one pacman command line on this system: the model,
 * which system it acts on, the probed state, the policy. Shared by
 * `guard check` and the shim's slow path. Probes only what the decision needs.
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { realpathSync } from 'node:fs';
import { parsePacmanCommand, type PacmanCommand } from '../pacman/model.js';
import { PACMAN_VARIANTS, type PacmanVariant } from '../pacman/options.js';
import { decide, type Engagement, type PolicyMode, type Verdict } from '../policy/decide.js';
import { describeError } from '../errors.js';
import { readPacmanConfig, type PacmanConfig } from '../system/pacman-conf.js';
import { detectPacmanVariants } from '../system/pacman-version.js';
import { engagementOf, probeSystem, type SystemState } from '../system/probe.js';

export interface Judgement {
  /** The reading that decided: the one that takes the lock if any considered variant's does. */
  readonly command: PacmanCommand;
  /** The pacman variants the line was parsed for: those the installed pacman may be, or all when that is unknown or was not asked. */
  readonly variants: readonly PacmanVariant[];
  /** Whether the installed pacman was asked for its version (the shim skips that when every variant agrees). */
  readonly detected: boolean;
  readonly actsOnHost: boolean;
  readonly state?: SystemState;
  readonly engagement?: Engagement;
  readonly verdict: Verdict;
}

export interface JudgeOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly policy: PolicyMode;
  /** The real pacman, asked for its version. */
  readonly realPacman: string;
  /** `when-needed` (the shim's hot path) asks pacman only when releases parse the line differently. */
  readonly detectVersion?: 'always' | 'when-needed';
}

/**
 * Parses for every variant the installed pacman may be and takes the reading
 * that locks if any does (fail closed): `pacman --version` cannot tell the
 * 7.1.0 tag from a build with 2df7c407, and they disagree on `--disable-s`.
 */
export function parseForVariants(args: readonly string[], variants: readonly PacmanVariant[], env: NodeJS.ProcessEnv): PacmanCommand {
  // No candidate is no knowledge: every variant, as for an unknown version.
  return deciding(readings(args, variants.length > 0 ? variants : PACMAN_VARIANTS, env));
}

function readings(args: readonly string[], variants: readonly PacmanVariant[], env: NodeJS.ProcessEnv): PacmanCommand[] {
  const posixlyCorrect = env.POSIXLY_CORRECT !== undefined;
  return variants.map((variant) => parsePacmanCommand(args, { variant, posixlyCorrect }));
}

/** The reading that decides: the one that takes the lock if any does (fail closed). */
const deciding = (parsed: readonly PacmanCommand[]): PacmanCommand => parsed.find((command) => command.needsLock) ?? parsed.at(-1)!;

function readingsAgree(parsed: readonly PacmanCommand[]): boolean {
  const verdicts = new Set(parsed.map((command) => `${command.outcome}/${command.needsLock}/${command.rejection?.message ?? ''}`));
  return verdicts.size === 1;
}

async function canonical(path: string): Promise<string | undefined> {
  try {
    // .native: realpath(3), as node:fs/promises' realpath; plain realpathSync is a JavaScript walk of lstat calls.
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

/**
 * Whether the command acts on this system's own root or database, as opposed
 * to `pacstrap`'s `--root /mnt` or `checkupdates`' private `--dbpath`.
 * A command that names neither root, database, config nor sysroot does.
 */
export async function actsOnHost(command: Pick<PacmanCommand, 'paths'>, host: PacmanConfig): Promise<boolean> {
  const { root, dbPath, config, sysroot } = command.paths;
  if (root === undefined && dbPath === undefined && config === undefined && sysroot === undefined) return true;
  if (sysroot !== undefined && (await canonical(sysroot)) !== '/') return false;
  const effective = root !== undefined || config !== undefined ? await readPacmanConfig({ ...(config ? { config } : {}), ...(root ? { root } : {}) }) : host;
  const [commandRoot, commandDb, hostRoot, hostDb] = await Promise.all([
    canonical(effective.rootDir),
    canonical(dbPath ?? effective.dbPath),
    canonical(host.rootDir),
    canonical(host.dbPath),
  ]);
  return (commandRoot !== undefined && commandRoot === hostRoot) || (commandDb !== undefined && commandDb === hostDb);
}

export async function judge(args: readonly string[], options: JudgeOptions): Promise<Judgement> {
  // Ask pacman for its version only when the variants disagree about this command line;
  // when they agree, the readings that showed it are the ones parseForVariants would make again.
  const everyReading = options.detectVersion === 'when-needed' ? readings(args, PACMAN_VARIANTS, options.env) : undefined;
  const skipDetection = everyReading !== undefined && readingsAgree(everyReading);
  const detectedVariants = skipDetection ? undefined : await detectPacmanVariants(options.realPacman);
  const variants = detectedVariants ?? PACMAN_VARIANTS;
  const command = everyReading && skipDetection ? deciding(everyReading) : parseForVariants(args, variants, options.env);
  const variantPart = { variants, detected: detectedVariants !== undefined };
  const unknown = (reason: string): Engagement => ({ known: false, reason });

  if (command.outcome !== 'run' || !command.needsLock) {
    return { command, ...variantPart, actsOnHost: true, verdict: decide(command, true, unknown('not probed'), options.policy) };
  }
  let host: PacmanConfig;
  try {
    host = await readPacmanConfig();
  } catch (error) {
    const engagement = unknown(describeError(error));
    return { command, ...variantPart, actsOnHost: true, engagement, verdict: decide(command, true, engagement, options.policy) };
  }
  let onHost: boolean;
  try {
    onHost = await actsOnHost(command, host);
  } catch (error) {
    // Cannot tell which system it acts on: treat it as this one.
    onHost = true;
    const engagement = unknown(`cannot resolve the command's root and database: ${describeError(error)}`);
    return { command, ...variantPart, actsOnHost: onHost, engagement, verdict: decide(command, onHost, engagement, options.policy) };
  }
  if (!onHost) {
    return { command, ...variantPart, actsOnHost: false, verdict: decide(command, false, unknown('not probed'), options.policy) };
  }
  const state = await probeSystem({ dbPath: host.dbPath, skipTransaction: true });
  const engagement = engagementOf(state);
  return { command, ...variantPart, actsOnHost: true, state, engagement, verdict: decide(command, true, engagement, options.policy) };
}
