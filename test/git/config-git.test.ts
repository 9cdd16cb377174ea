import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../cli/git/command.js';
import { BIN, FIXTURES, Repo } from './repo.js';

const KEYS = ['diff.cellwise.command', 'diff.cellwise.textconv', 'diff.cellwise.cachetextconv', 'diff.cellwise.xfuncname', 'difftool.cellwise.cmd'];

describe('cellwise config-git (this repository)', () => {
  it('registers the diff driver, textconv and difftool, says what it changed, and changes nothing the second time', () => {
    const repo = new Repo();
    const r = repo.cellwise(['config-git']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Set up Cellwise for notebooks in this repository \(/);
    for (const key of KEYS) expect(r.stdout).toContain(`+ ${key} = `);
    expect(r.stdout).toContain('in .git/config');
    expect(r.stdout).toContain('+ *.ipynb diff=cellwise');
    expect(r.stdout).toContain('in .git/info/attributes');

    // Absolute paths to this node and this bin, so git needs neither `cellwise` nor `node` on PATH.
    const command = repo.ok(['config', '--local', 'diff.cellwise.command']).trim();
    expect(command).toBe(`${process.execPath} ${BIN} diff-driver`);
    expect(repo.ok(['config', '--local', 'diff.cellwise.textconv']).trim()).toBe(`${process.execPath} ${BIN} textconv --format=1`);
    expect(repo.ok(['config', '--local', 'diff.cellwise.cachetextconv']).trim()).toBe('true');
    expect(repo.ok(['config', '--local', 'difftool.cellwise.cmd']).trim()).toBe(`${process.execPath} ${BIN} difftool "$LOCAL" "$REMOTE" "$MERGED"`);
    expect(repo.ok(['check-attr', 'diff', '--', 'any/where.ipynb'])).toBe('any/where.ipynb: diff: cellwise\n');
    expect(repo.ok(['check-attr', 'diff', '--', 'notes.md'])).toBe('notes.md: diff: unspecified\n');
    // The tracked .gitattributes (the user's files) is left alone.
    expect(existsSync(join(repo.dir, '.gitattributes'))).toBe(false);

    const config = repo.read('.git/config');
    const attributes = repo.read('.git/info/attributes');
    const again = repo.cellwise(['config-git']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already set up in this repository .*nothing changed/);
    expect(repo.read('.git/config')).toBe(config);
    expect(repo.read('.git/info/attributes')).toBe(attributes);
  });

  it('--disable removes exactly what it added: the config and attributes files are as they were', () => {
    const repo = new Repo();
    // The user's own settings, including another diff driver and attribute lines of their own.
    repo.ok(['config', 'diff.jupyter.command', 'my-tool --flag']);
    repo.ok(['config', 'alias.st', 'status -sb']);
    repo.ok(['config', 'core.autocrlf', 'false']);
    mkdirSync(join(repo.dir, '.git/info'), { recursive: true });
    writeFileSync(join(repo.dir, '.git/info/attributes'), '*.png binary\n*.csv diff=csv');
    const config = repo.read('.git/config');
    const attributes = repo.read('.git/info/attributes');

    expect(repo.cellwise(['config-git']).status).toBe(0);
    expect(repo.read('.git/info/attributes')).toMatch(/^\*\.png binary\n\*\.csv diff=csv\n# .*\n\*\.ipynb diff=cellwise\n$/);
    expect(repo.ok(['config', 'diff.jupyter.command']).trim()).toBe('my-tool --flag');

    const off = repo.cellwise(['config-git', '--disable']);
    expect(off.status).toBe(0);
    expect(off.stdout).toMatch(/^Removed the Cellwise set-up in this repository/);
    for (const key of KEYS) expect(off.stdout).toContain(`- ${key}`);
    expect(off.stdout).toContain('- *.ipynb diff=cellwise');
    expect(repo.read('.git/config')).toBe(config);
    // Our lines go; the user's stay (the missing final newline is the one thing we had to add).
    expect(repo.read('.git/info/attributes')).toBe(`${attributes}\n`);

    const again = repo.cellwise(['config-git', '--disable']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/was not set up in this repository .*nothing to remove/);
  });

  it('--disable in a fresh repository restores .git/config byte for byte and removes info/attributes', () => {
    const repo = new Repo();
    const config = repo.read('.git/config');
    expect(existsSync(join(repo.dir, '.git/info/attributes'))).toBe(false);
    repo.cellwise(['config-git']);
    repo.put('a.ipynb', { fixture: FIXTURES.base });
    repo.commit('one');
    repo.put('a.ipynb', { fixture: FIXTURES.head });
    repo.commit('two');
    repo.ok(['log', '-p']); // fills git's textconv cache
    expect(repo.git(['show-ref', '--verify', 'refs/notes/textconv/cellwise']).status).toBe(0);

    const off = repo.cellwise(['config-git', '--disable']);
    expect(off.stdout).toContain("refs/notes/textconv/cellwise (git's cache of notebook text)");
    expect(repo.read('.git/config')).toBe(config);
    expect(existsSync(join(repo.dir, '.git/info/attributes'))).toBe(false);
    expect(repo.git(['show-ref', '--verify', '--quiet', 'refs/notes/textconv/cellwise']).status).not.toBe(0);
  });

  it('keeps a key the user added under diff.cellwise, and updates a command registered by another install', () => {
    const repo = new Repo();
    repo.cellwise(['config-git']);
    repo.ok(['config', 'diff.cellwise.wordRegex', '[^[:space:]]+']);
    repo.ok(['config', 'diff.cellwise.command', '/old/node /old/cellwise.js diff-driver']);
    const update = repo.cellwise(['config-git']);
    expect(update.stdout).toContain('~ diff.cellwise.command = ');
    expect(update.stdout).toContain('(was: /old/node /old/cellwise.js diff-driver)');
    expect(update.stdout).not.toContain('diff.cellwise.textconv');
    repo.cellwise(['config-git', '--disable']);
    expect(repo.ok(['config', '--get-regexp', '^diff\\.cellwise\\.'])).toBe('diff.cellwise.wordregex [^[:space:]]+\n');
  });

  it('--attributes-file writes the line where asked (e.g. the shared .gitattributes)', () => {
    const repo = new Repo();
    const r = repo.cellwise(['config-git', '--attributes-file', '.gitattributes']);
    expect(r.stdout).toContain('in .gitattributes');
    expect(r.stdout).toContain('--attributes-file .gitattributes --disable');
    expect(repo.read('.gitattributes')).toContain('*.ipynb diff=cellwise\n');
    expect(existsSync(join(repo.dir, '.git/info/attributes'))).toBe(false);
    expect(repo.ok(['check-attr', 'diff', '--', 'x.ipynb'])).toContain('diff: cellwise');
    repo.cellwise(['config-git', '--attributes-file', '.gitattributes', '--disable']);
    expect(existsSync(join(repo.dir, '.gitattributes'))).toBe(false);
  });

  it('says when another attributes file takes precedence or git does not read the file', () => {
    const repo = new Repo();
    const elsewhere = join(repo.root, 'not-read-by-git');
    const r = repo.cellwise(['config-git', '--attributes-file', elsewhere]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/note: git does not read .*not-read-by-git in this repository/);
  });

  it('fails cleanly outside a repository and on contradictory scopes', () => {
    const repo = new Repo();
    const outside = repo.cellwise(['config-git'], { cwd: repo.home });
    expect(outside.status).toBe(2);
    expect(outside.stderr).toMatch(/^cellwise: not in a git repository: .*--global/);
    const both = repo.cellwise(['config-git', '--global', '--system']);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--global and --system cannot be used together');
  });

  it('leaves the textconv cache off when git has no identity to write it with, so git log -p still works', () => {
    const repo = new Repo({ identity: false });
    const r = repo.cellwise(['config-git']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('cachetextconv');
    expect(r.stdout).toMatch(/note: git has no committer identity/);
    repo.put('a.ipynb', { fixture: FIXTURES.base });
    repo.ok(['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'add', '.']);
    repo.ok(['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qm', 'one']);
    const log = repo.git(['log', '-p']);
    expect(log.stderr).toBe('');
    expect(log.status).toBe(0);
    expect(log.stdout).toContain('━━ code [1]');
  });
});

describe('cellwise config-git --global and --system', () => {
  it('--global uses the global config and ~/.config/git/attributes, and --disable restores them', () => {
    const repo = new Repo();
    repo.ok(['config', '--global', 'alias.co', 'checkout']);
    const before = repo.ok(['config', '--global', '--list']);
    const r = repo.cellwise(['config-git', '--global']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Set up Cellwise for notebooks in all your repositories:/);
    expect(r.stdout).toContain(`in ${join(repo.home, '.gitconfig')}`);
    const attributes = join(repo.home, '.config/git/attributes');
    expect(r.stdout).toContain(`in ${attributes}`);
    expect(readFileSync(attributes, 'utf8')).toContain('*.ipynb diff=cellwise');
    // Nothing in the repository itself.
    expect(repo.git(['config', '--local', '--get-regexp', 'cellwise']).stdout).toBe('');
    expect(repo.ok(['check-attr', 'diff', '--', 'x.ipynb'])).toContain('diff: cellwise');
    expect(repo.cellwise(['config-git', '--global']).stdout).toMatch(/already set up in all your repositories/);

    const off = repo.cellwise(['config-git', '--global', '--disable']);
    expect(off.status).toBe(0);
    expect(repo.ok(['config', '--global', '--list'])).toBe(before);
    expect(existsSync(attributes)).toBe(false);
  });

  it('--global writes to core.attributesFile when the user has one, keeping its lines', () => {
    const repo = new Repo();
    const mine = join(repo.home, 'my-attributes');
    writeFileSync(mine, '*.pdf diff=pdf\n');
    repo.ok(['config', '--global', 'core.attributesFile', '~/my-attributes']);
    const r = repo.cellwise(['config-git', '--global']);
    expect(r.stdout).toContain(`in ${mine}`);
    expect(readFileSync(mine, 'utf8')).toMatch(/^\*\.pdf diff=pdf\n# .*\n\*\.ipynb diff=cellwise\n$/);
    repo.cellwise(['config-git', '--global', '--disable']);
    expect(readFileSync(mine, 'utf8')).toBe('*.pdf diff=pdf\n');
  });

  it('an attributes file that is a link (a dotfiles repository) is emptied, never unlinked', () => {
    const repo = new Repo();
    const target = join(repo.root, 'dotfiles-attributes');
    writeFileSync(target, '');
    mkdirSync(join(repo.home, '.config/git'), { recursive: true });
    symlinkSync(target, join(repo.home, '.config/git/attributes'));
    repo.cellwise(['config-git', '--global']);
    expect(readFileSync(target, 'utf8')).toContain('*.ipynb diff=cellwise');
    repo.cellwise(['config-git', '--global', '--disable']);
    expect(readFileSync(join(repo.home, '.config/git/attributes'), 'utf8')).toBe('');
  });

  it('--system writes the system config (GIT_CONFIG_SYSTEM) through git config', () => {
    const repo = new Repo();
    const system = join(repo.root, 'system-gitconfig');
    const attributes = join(repo.root, 'system-gitattributes');
    const env = { GIT_CONFIG_NOSYSTEM: undefined, GIT_CONFIG_SYSTEM: system };
    const r = repo.cellwise(['config-git', '--system', '--attributes-file', attributes], { env });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Set up Cellwise for notebooks for all users of this machine:/);
    expect(r.stdout).toContain(`in ${system}`);
    expect(readFileSync(system, 'utf8')).toContain('[diff "cellwise"]');
    expect(readFileSync(attributes, 'utf8')).toContain('*.ipynb diff=cellwise');
    expect(repo.git(['config', '--global', '--list']).stdout).toBe('');
    repo.cellwise(['config-git', '--system', '--attributes-file', attributes, '--disable'], { env });
    expect(repo.git(['config', '--system', '--list'], { env }).stdout).toBe('');
    expect(existsSync(attributes)).toBe(false);
  });
});

describe('the registered commands', () => {
  it('are quoted for the shell git runs them with', () => {
    expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellQuote("/home/o'neil/my tools/cellwise.js")).toBe(`'/home/o'\\''neil/my tools/cellwise.js'`);
    const repo = new Repo();
    const r = repo.spawn('sh', ['-c', `printf '%s' ${shellQuote("a b'c $HOME \"d\"")}`]);
    expect(r.stdout).toBe("a b'c $HOME \"d\"");
  });
});
