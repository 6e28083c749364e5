/**
 * pacman's local database entry (`local/NAME-VERSION/{desc,files,mtree}`),
 * the format libalpm's local backend writes and reads: sections headed
 * `%KEY%`, one value per line, ended by an empty line. Pure: rendering an
 * entry from a package's .PKGINFO, and reading one back strictly, so an entry
 * an extension carries is either one pacman reads as intended or refused with
 * the file and line.
 */

/** What an entry says about its package, in the order libalpm writes `desc`. */
export interface LocalEntry {
  readonly name: string;
  readonly version: string;
  readonly base?: string;
  readonly desc?: string;
  readonly url?: string;
  readonly arch?: string;
  readonly builddate?: number;
  readonly installdate?: number;
  readonly packager?: string;
  readonly size?: number;
  /** 0 explicitly installed, 1 installed as a dependency. */
  readonly reason: 0 | 1;
  readonly groups: readonly string[];
  readonly licenses: readonly string[];
  readonly validation: readonly Validation[];
  readonly replaces: readonly string[];
  readonly depends: readonly string[];
  readonly optdepends: readonly string[];
  readonly conflicts: readonly string[];
  readonly provides: readonly string[];
}

export type Validation = 'none' | 'md5' | 'sha256' | 'pgp';
const VALIDATIONS: readonly Validation[] = ['none', 'md5', 'sha256', 'pgp'];

/** Pure: `name-pkgver-pkgrel` (a local database directory) → name. */
export function localPackageName(directory: string): string {
  return directory.split('-').slice(0, -2).join('-');
}

/** The entry's directory name in local/. */
export const entryDirectory = (entry: Pick<LocalEntry, 'name' | 'version'>): string => `${entry.name}-${entry.version}`;

/** libalpm's package names: alphanumerics and @._+-, not starting with - or . (alpm_pkg_checkmd5sum's sibling check in makepkg). */
const NAME = /^[a-z0-9@_+][a-z0-9@._+-]*$/i;
/** [epoch:]pkgver-pkgrel, pkgver without ':' '-' or whitespace. */
const VERSION = /^(?:[0-9]+:)?[^:\s/-]+-[0-9]+(?:\.[0-9]+)?$/;

export interface EntryInputs {
  readonly pkgInfo: ReadonlyMap<string, readonly string[]>;
  readonly installDate: number;
  readonly reason: 0 | 1;
  readonly validation: readonly Validation[];
}

/** Pure: the entry pacman would record for a package with this .PKGINFO. */
export function entryFromPkgInfo(inputs: EntryInputs): LocalEntry {
  const { pkgInfo } = inputs;
  const one = (key: string): string | undefined => pkgInfo.get(key)?.[0];
  const all = (key: string): readonly string[] => pkgInfo.get(key) ?? [];
  const number = (key: string): number | undefined => {
    const value = one(key);
    return value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : undefined;
  };
  const name = one('pkgname');
  const version = one('pkgver');
  if (!name || !NAME.test(name)) throw new Error(`.PKGINFO has no valid pkgname (${name ?? 'none'})`);
  if (!version || !VERSION.test(version)) throw new Error(`.PKGINFO of ${name} has no valid pkgver (${version ?? 'none'})`);
  const text = (key: string): Partial<Record<'base' | 'desc' | 'url' | 'arch' | 'packager', string>> => {
    const value = one(key);
    return value ? { [FIELD_OF_PKGINFO[key]!]: value } : {};
  };
  const builddate = number('builddate');
  const size = number('size');
  return {
    name,
    version,
    ...text('pkgbase'),
    ...text('pkgdesc'),
    ...text('url'),
    ...text('arch'),
    ...(builddate ? { builddate } : {}),
    installdate: inputs.installDate,
    ...text('packager'),
    ...(size ? { size } : {}),
    reason: inputs.reason,
    groups: all('group'),
    licenses: all('license'),
    validation: inputs.validation,
    replaces: all('replaces'),
    depends: all('depend'),
    optdepends: all('optdepend'),
    conflicts: all('conflict'),
    provides: all('provides'),
  };
}

const FIELD_OF_PKGINFO: Record<string, 'base' | 'desc' | 'url' | 'arch' | 'packager'> = {
  pkgbase: 'base', pkgdesc: 'desc', url: 'url', arch: 'arch', packager: 'packager',
};

/** Pure: `desc`, as libalpm writes it (empty and zero values left out, as it does). */
export function renderDesc(entry: LocalEntry): string {
  const sections: string[] = [];
  const section = (key: string, values: readonly (string | number | undefined)[]) => {
    const present = values.filter((value): value is string | number => value !== undefined && value !== '' && value !== 0);
    if (present.length > 0) sections.push(`%${key}%\n${present.join('\n')}\n\n`);
  };
  section('NAME', [entry.name]);
  section('VERSION', [entry.version]);
  section('BASE', [entry.base]);
  section('DESC', [entry.desc]);
  section('URL', [entry.url]);
  section('ARCH', [entry.arch]);
  section('BUILDDATE', [entry.builddate]);
  section('INSTALLDATE', [entry.installdate]);
  section('PACKAGER', [entry.packager]);
  section('SIZE', [entry.size]);
  section('REASON', [entry.reason]);
  section('GROUPS', entry.groups);
  section('LICENSE', entry.licenses);
  section('VALIDATION', entry.validation);
  section('REPLACES', entry.replaces);
  section('DEPENDS', entry.depends);
  section('OPTDEPENDS', entry.optdepends);
  section('CONFLICTS', entry.conflicts);
  section('PROVIDES', entry.provides);
  return sections.join('');
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Byte order of the UTF-8 encodings, as libalpm sorts file lists (strcmp)
 * and searches them. For ASCII, JavaScript's string order is that order, and
 * needs no encoding: this runs for every pair of a hundred packages' lists.
 */
function compareBytes(a: string, b: string): number {
  if (ASCII.test(a) && ASCII.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Pure: `files`, the package's paths an extension carries (directories end in '/'); no %BACKUP%: nothing under /etc is carried. */
export function renderFiles(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  return `%FILES%\n${[...paths].sort(compareBytes).join('\n')}\n\n`;
}

export class EntryError extends Error {
  constructor(readonly file: 'desc' | 'files' | 'mtree' | 'directory', readonly line: number | undefined, message: string) {
    super(message);
    this.name = 'EntryError';
  }
}

type Sections = Map<string, { line: number; values: string[] }>;

/** Any control character but the newline that ends lines. */
const CONTROL = /[\0\r\x01-\x08\x0b-\x1f\x7f]/;

/** Pure: splits a local database file into sections, strictly (an unknown layout is an error, not a guess). */
function readSections(text: string, file: 'desc' | 'files', known: ReadonlySet<string>): Sections {
  const sections: Sections = new Map();
  // One scan of the whole text; the lines are searched only to name the one at fault.
  const hasControl = CONTROL.test(text);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let current: string[] | undefined;
  lines.forEach((line, index) => {
    const number = index + 1;
    if (hasControl && CONTROL.test(line)) throw new EntryError(file, number, 'control character');
    if (current === undefined) {
      if (line === '') return;
      const header = /^%([A-Z0-9]+)%$/.exec(line);
      if (!header) throw new EntryError(file, number, `expected a %KEY% header, found '${line}'`);
      const key = header[1]!;
      if (!known.has(key)) throw new EntryError(file, number, `unknown key %${key}%`);
      if (sections.has(key)) throw new EntryError(file, number, `%${key}% appears twice`);
      current = [];
      sections.set(key, { line: number, values: current });
      return;
    }
    if (line === '') {
      current = undefined;
      return;
    }
    current.push(line);
  });
  return sections;
}

const DESC_KEYS = new Set(['NAME', 'VERSION', 'BASE', 'DESC', 'URL', 'ARCH', 'BUILDDATE', 'INSTALLDATE', 'PACKAGER', 'SIZE', 'REASON', 'GROUPS', 'LICENSE', 'VALIDATION', 'REPLACES', 'DEPENDS', 'OPTDEPENDS', 'CONFLICTS', 'PROVIDES', 'XDATA']);
const SINGLE = ['NAME', 'VERSION', 'BASE', 'DESC', 'URL', 'ARCH', 'BUILDDATE', 'INSTALLDATE', 'PACKAGER', 'SIZE', 'REASON'];
const NUMBERS = ['BUILDDATE', 'INSTALLDATE', 'SIZE'];
/** A dependency as libalpm writes one: name, optional comparison and version (optdepends may add ': description'). */
const DEPENDENCY = /^[a-z0-9@_+][a-z0-9@._+-]*(?:(?:<|<=|=|>=|>)[^\s<>=]+)?$/i;

/** Pure: reads `desc` back and checks it against the directory it sits in. */
export function parseDesc(text: string, directory: string): LocalEntry {
  const sections = readSections(text, 'desc', DESC_KEYS);
  const single = (key: string): string | undefined => {
    const section = sections.get(key);
    if (!section) return undefined;
    // libalpm reads the line after the header, so a header followed by the
    // blank line is an empty value: what it writes for an empty %URL%.
    if (section.values.length === 0) return '';
    if (section.values.length !== 1) throw new EntryError('desc', section.line, `%${key}% needs exactly one value, found ${section.values.length}`);
    return section.values[0];
  };
  for (const key of SINGLE) single(key);
  const number = (key: string): number | undefined => {
    const value = single(key);
    if (value === undefined) return undefined;
    if (!/^[0-9]{1,15}$/.test(value)) throw new EntryError('desc', sections.get(key)!.line + 1, `%${key}% is not a number: '${value}'`);
    return Number(value);
  };
  for (const key of NUMBERS) number(key);
  const name = single('NAME');
  const version = single('VERSION');
  if (!name || !NAME.test(name)) throw new EntryError('desc', sections.get('NAME')?.line, `%NAME% is missing or not a package name`);
  if (!version || !VERSION.test(version)) throw new EntryError('desc', sections.get('VERSION')?.line, `%VERSION% is missing or not [epoch:]pkgver-pkgrel`);
  if (directory !== `${name}-${version}`) throw new EntryError('desc', sections.get('NAME')!.line, `names ${name}-${version}, but the entry's directory is ${directory}`);
  const reasonText = single('REASON');
  if (reasonText !== undefined && reasonText !== '0' && reasonText !== '1') throw new EntryError('desc', sections.get('REASON')!.line + 1, `%REASON% must be 0 or 1, found '${reasonText}'`);
  const list = (key: string): string[] => sections.get(key)?.values ?? [];
  const validation = list('VALIDATION');
  validation.forEach((value, index) => {
    if (!(VALIDATIONS as readonly string[]).includes(value)) throw new EntryError('desc', sections.get('VALIDATION')!.line + 1 + index, `unknown %VALIDATION% '${value}'`);
  });
  for (const key of ['REPLACES', 'DEPENDS', 'CONFLICTS', 'PROVIDES']) {
    const section = sections.get(key);
    section?.values.forEach((value, index) => {
      if (!DEPENDENCY.test(value)) throw new EntryError('desc', section.line + 1 + index, `%${key}% has a malformed dependency '${value}'`);
    });
  }
  const optional = sections.get('OPTDEPENDS');
  optional?.values.forEach((value, index) => {
    if (!DEPENDENCY.test(value.split(': ')[0]!)) throw new EntryError('desc', optional.line + 1 + index, `%OPTDEPENDS% has a malformed dependency '${value}'`);
  });
  const text_ = (key: string, field: string) => {
    const value = single(key);
    return value !== undefined ? { [field]: value } : {};
  };
  const builddate = number('BUILDDATE');
  const installdate = number('INSTALLDATE');
  const size = number('SIZE');
  return {
    name,
    version,
    ...text_('BASE', 'base'),
    ...text_('DESC', 'desc'),
    ...text_('URL', 'url'),
    ...text_('ARCH', 'arch'),
    ...(builddate !== undefined ? { builddate } : {}),
    ...(installdate !== undefined ? { installdate } : {}),
    ...text_('PACKAGER', 'packager'),
    ...(size !== undefined ? { size } : {}),
    reason: reasonText === '1' ? 1 : 0,
    groups: list('GROUPS'),
    licenses: list('LICENSE'),
    validation: validation as Validation[],
    replaces: list('REPLACES'),
    depends: list('DEPENDS'),
    optdepends: list('OPTDEPENDS'),
    conflicts: list('CONFLICTS'),
    provides: list('PROVIDES'),
  };
}

/** An absolute path, a '.' or '..' component, or an empty one (a trailing '/' marks a directory and is allowed). */
const NOT_INSIDE = /^\/|(?:^|\/)\.{1,2}(?:\/|$)|\/\//;

/**
 * Pure: reads `files` back. Every path must lie in one of `prefixes` (the
 * sysext hierarchies, 'usr/' …): an entry claiming files elsewhere would let
 * pacman say it owns what no extension carries. Sorted as libalpm expects.
 */
export function parseFiles(text: string, prefixes: readonly string[]): string[] {
  const sections = readSections(text, 'files', new Set(['FILES', 'BACKUP']));
  const backup = sections.get('BACKUP');
  if (backup && backup.values.length > 0) throw new EntryError('files', backup.line + 1, 'an extension carries no backup files (%BACKUP% must be empty)');
  const section = sections.get('FILES');
  const paths = section?.values ?? [];
  paths.forEach((path, index) => {
    const line = section!.line + 1 + index;
    if (NOT_INSIDE.test(path)) {
      throw new EntryError('files', line, `'${path}' is not a relative path inside the extension`);
    }
    if (!prefixes.some((prefix) => path.startsWith(prefix))) throw new EntryError('files', line, `'${path}' lies outside the extension's hierarchies (${prefixes.map((prefix) => `/${prefix}`).join(', ')})`);
    if (index > 0 && compareBytes(paths[index - 1]!, path) >= 0) throw new EntryError('files', line, `'${path}' is out of order or repeated (libalpm searches the list as sorted)`);
  });
  return paths;
}

/** mtree's path encoding: octal escapes for bytes outside printable ASCII and for space, '#', '\\'. */
function decodeMtreePath(path: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < path.length; index++) {
    const octal = /^\\([0-7]{3})/.exec(path.slice(index));
    if (octal) {
      bytes.push(parseInt(octal[1]!, 8));
      index += 3;
    } else bytes.push(...Buffer.from(path[index]!));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Pure: a package's .MTREE (decompressed) keeping only the paths in `keep`
 * (pacman's file-list form, directories ending in '/'), so `pacman -Qkk`
 * checks what the extension carries and nothing it left out. Set and unset
 * lines and comments stay; the package's own metadata (./.PKGINFO …) goes,
 * as libalpm skips it anyway.
 */
export function filterMtree(text: string, keep: ReadonlySet<string>): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('/')) {
      out.push(line);
      continue;
    }
    const raw = line.split(' ')[0]!;
    const path = decodeMtreePath(raw.replace(/^\.\//, ''));
    if (keep.has(path) || keep.has(`${path}/`)) out.push(line);
  }
  return out.join('\n');
}
