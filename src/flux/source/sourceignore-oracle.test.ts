/**
 * The artifact view against source-controller's own code (the `sourceignore` oracle: fluxcd/pkg
 * sourceignore v0.18.0 loading and matching, Archive's walk, as source-controller v1.9.5 of
 * Flux 2.9 makes a GitRepository artifact): for each tree, the entries of the artifact (files,
 * and folders with a trailing `/`) must be the same, read from the working tree (DiskRepoFs) and
 * from a git commit of it (GitRepoFs). Cases: one per gap of #19 item 1 (a `.sourceignore` only
 * in a sub-folder, re-includes inside an excluded folder's own or deeper `.sourceignore`,
 * symbolic links inside and outside the repository, `spec.ignore` and the default excludes),
 * then seeded random trees.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { oracle } from '../../../test/oracles/oracle.mjs';
import { DiskRepoFs, type RepoFs } from '../../repo/repo-fs.js';
import { GitRepoFs } from '../../git/git-repo-fs.js';
import { git } from '../../git/git.js';
import { mulberry32 } from '../../seeded-random.js';
import { SourceFs } from './source-fs.js';

const si = oracle('sourceignore');

type Tree = Record<string, string | { link: string }>;

interface Case {
  readonly name: string;
  readonly tree: Tree;
  /** spec.ignore */
  readonly ignore?: string;
  /** The artifact root inside the tree (a --source mapping of a sub-folder). */
  readonly root?: string;
}

/** A file outside every case's tree, for links that leave the repository. */
const OUTSIDE = mkdtempSync(join(tmpdir(), 'aksfleet-si-outside-'));
writeFileSync(join(OUTSIDE, 'secret.yaml'), 'kind: Secret\n');

const CASES: Case[] = [
  {
    name: 'no pattern anywhere: every default exclude, at any depth',
    tree: {
      'app.yaml': 'a',
      'logo.png': 'p',
      'docs/shot.JPG': 'j',
      'docs/shot.jpg': 'j',
      'charts/x.tar.gz': 't',
      'a.zip': 'z',
      '.github/workflows/ci.yaml': 'c',
      'sub/.github/x.yaml': 'c',
      '.circleci/config.yml': 'c',
      '.travis.yml': 't',
      'sub/.gitlab-ci.yml': 'g',
      'appveyor.yml': 'a',
      '.drone.yml': 'd',
      'apps/cloudbuild.yaml': 'c',
      'codeship-services.yml': 'c',
      'codeship-steps.yml': 'c',
      'x/.goreleaser.yml': 'g',
      '.sops.yaml': 's',
      'clusters/dev/.sops.yaml': 's',
      'deep/.flux.yaml': 'f',
      '.gitignore': 'g',
      'sub/.gitattributes': 'g',
      '.gitmodules': 'g',
      '.git/config': 'c',
      'sub/.git/HEAD': 'h',
      '.gitkeep': '',
      'other/.github': 'a file named .github',
    },
  },
  {
    name: 'a .sourceignore only in a sub-folder: the defaults other than VCS are gone for the whole tree',
    tree: {
      'apps/.sourceignore': 'local.yaml\n',
      'apps/local.yaml': 'l',
      'local.yaml': 'l',
      'logo.png': 'p',
      '.github/ci.yaml': 'c',
      '.sops.yaml': 's',
      '.gitignore': 'g',
    },
  },
  {
    name: 'a sub-folder .sourceignore of comments only: the defaults stay',
    tree: { 'apps/.sourceignore': '# nothing\n\n', 'logo.png': 'p', 'app.yaml': 'a' },
  },
  {
    name: "re-include inside the excluded folder's own .sourceignore",
    tree: {
      '.sourceignore': 'vendor/\n',
      'vendor/.sourceignore': '!keep.yaml\n',
      'vendor/keep.yaml': 'k',
      'vendor/drop.yaml': 'd',
      'vendor/sub/keep.yaml': 'k2',
    },
  },
  {
    name: 're-include in a .sourceignore deeper inside an excluded folder',
    tree: {
      '.sourceignore': 'vendor/\n',
      'vendor/a/b/.sourceignore': '!keep.yaml\n',
      'vendor/a/b/keep.yaml': 'k',
      'vendor/a/drop.yaml': 'd',
      'vendor/a/b/drop.yaml': 'd',
      'other/keep.yaml': 'o',
    },
  },
  {
    name: 'negation from the root re-includes a file under an excluded folder',
    tree: {
      '.sourceignore': 'docs/\n!docs/keep.yaml\n',
      'docs/keep.yaml': 'k',
      'docs/drop.yaml': 'd',
      'docs/sub/x.yaml': 'x',
    },
  },
  {
    name: 'spec.ignore alone replaces the defaults (not added to them)',
    tree: {
      'app.yaml': 'a',
      'logo.png': 'p',
      '.github/ci.yaml': 'c',
      '.sops.yaml': 's',
      'tests/t.yaml': 't',
      '.gitignore': 'g',
    },
    ignore: 'tests/\n',
  },
  {
    name: 'spec.ignore that excludes everything but one folder (/* then !/packages)',
    tree: {
      'README.md': 'r',
      'packages/apps/a.yaml': 'a',
      'packages/logo.png': 'p',
      'hack/x.sh': 'x',
      '.github/ci.yaml': 'c',
    },
    ignore: '# exclude all\n/*\n# include packages dir\n!/packages\n',
  },
  {
    name: 'spec.ignore of comments only: the defaults stay',
    tree: { 'app.yaml': 'a', 'logo.png': 'p' },
    ignore: '# nothing\n',
  },
  {
    name: 'spec.ignore after .sourceignore files: it has the last word',
    tree: {
      '.sourceignore': '!keep.png\n*.yaml\n',
      'keep.png': 'p',
      'a.yaml': 'a',
      'b/c.yaml': 'c',
      'b/.sourceignore': '!c.yaml\n',
    },
    ignore: '!a.yaml\nb/\n',
  },
  {
    name: 'symbolic links: to files and folders inside, outside the repository, dangling: all left out',
    tree: {
      'base/app.yaml': 'a',
      'base/kustomization.yaml': 'resources: [app.yaml]\n',
      'clusters/dev/app.yaml': { link: '../../base/app.yaml' },
      'clusters/dev/base': { link: '../../base' },
      'clusters/dev/outside.yaml': { link: join(OUTSIDE, 'secret.yaml') },
      'clusters/dev/dangling.yaml': { link: 'missing.yaml' },
      'clusters/dev/kustomization.yaml': 'resources: [base]\n',
    },
  },
  {
    name: 'a .sourceignore inside a linked folder is not loaded; a linked .sourceignore file is read',
    tree: {
      'real/.sourceignore': '*.yaml\n',
      'real/a.yaml': 'a',
      linked: { link: 'real' },
      'logo.png': 'p',
      'rules/ignore.txt': 'drop.yaml\n',
      'apps/.sourceignore': { link: '../rules/ignore.txt' },
      'apps/drop.yaml': 'd',
      'apps/keep.yaml': 'k',
    },
  },
  {
    name: 'an artifact of a sub-folder (--source mapping): patterns and defaults of that tree only',
    tree: {
      '.sourceignore': '*.yaml\n',
      'sub/a.yaml': 'a',
      'sub/logo.png': 'p',
      'sub/deep/.sourceignore': '!b.yaml\n',
      'sub/deep/b.yaml': 'b',
      'sub/deep/c.yaml': 'c',
    },
    root: 'sub',
  },
  {
    name: 'dialect: dir-only, anchored, ** forms, classes, escapes, trailing spaces',
    tree: {
      '.sourceignore':
        'build/\n/root-only.yaml\nconfig/dev.yaml\n**/tmp.yaml\na/**/c.yaml\nlogs/**\n[ab].txt\nv?.yaml\n' +
        '\\#hash.yaml\nspaced.yaml   \n',
      'build/x.yaml': 'x',
      'sub/build': 'f',
      'root-only.yaml': 'r',
      'n/root-only.yaml': 'r',
      'config/dev.yaml': 'd',
      'x/config/dev.yaml': 'd',
      'tmp.yaml': 't',
      'q/r/tmp.yaml': 't',
      'a/c.yaml': 'c',
      'a/b/c.yaml': 'c',
      'logs/1/2.yaml': 'l',
      'a.txt': 'a',
      'c.txt': 'c',
      'v1.yaml': 'v',
      'v10.yaml': 'v',
      '#hash.yaml': 'h',
      'spaced.yaml': 's',
    },
  },
];

/** Writes a tree (links as symbolic links) into a new folder. */
function writeTree(tree: Tree): string {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-si-'));
  for (const [rel, v] of Object.entries(tree)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof v === 'string') writeFileSync(p, v);
    else symlinkSync(v.link, p);
  }
  return dir;
}

/** The oracle's artifact entries for `dir` (and spec.ignore). */
function oracleEntries(dir: string, ignore?: string): string[] {
  const args = [dir];
  if (ignore !== undefined) {
    const f = join(mkdtempSync(join(tmpdir(), 'aksfleet-si-ignore-')), 'ignore');
    writeFileSync(f, ignore);
    args.push(f);
  }
  const r = spawnSync(si.path, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

/** The entries the artifact view shows (folders with a trailing `/`), sorted as the oracle sorts. */
function viewEntries(base: RepoFs, root: string, ignore?: string): string[] {
  const fs = new SourceFs(base, root, ignore);
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const n of fs.list(dir)) {
      const rel = dir ? `${dir}/${n}` : n;
      if (fs.isDir(rel)) {
        out.push(rel + '/');
        walk(rel);
      } else {
        assert.equal(fs.isFile(rel), true, rel);
        fs.readBytes(rel);
        out.push(rel);
      }
    }
  };
  walk('');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A git commit of the tree (without its `.git` folders, which git cannot hold). */
function gitView(dir: string): GitRepoFs {
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'tree']);
  return new GitRepoFs(dir, 'HEAD');
}

const hasGitFolder = (t: Tree) => Object.keys(t).some((k) => k.split('/').includes('.git'));

for (const c of CASES) {
  test(`sourceignore oracle: ${c.name}`, { skip: si.skip }, () => {
    const dir = writeTree(c.tree);
    try {
      const root = c.root ?? '';
      const want = oracleEntries(root ? join(dir, root) : dir, c.ignore);
      assert.deepEqual(viewEntries(new DiskRepoFs(dir), root, c.ignore), want, 'working tree');
      if (!hasGitFolder(c.tree)) assert.deepEqual(viewEntries(gitView(dir), root, c.ignore), want, 'git commit');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a file behind a symbolic link is refused with the reason, not as "not found"', () => {
  const dir = writeTree(CASES.find((c) => c.name.startsWith('symbolic links'))!.tree);
  try {
    const fs = new SourceFs(new DiskRepoFs(dir));
    assert.throws(
      () => fs.readFile('clusters/dev/app.yaml'),
      /'clusters\/dev\/app\.yaml' \(it is a symbolic link, and source-controller leaves links out of the artifact\)/,
    );
    assert.throws(() => fs.readFile('clusters/dev/base/app.yaml'), /'clusters\/dev\/base' is a symbolic link/);
    assert.equal(fs.isDir('clusters/dev/base'), false);
    assert.equal(fs.readFile('base/app.yaml'), 'a');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Seeded random trees: names from a small alphabet, patterns drawn from the same names. */
function randomCase(seed: number): Case {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const names = ['a', 'b', 'c.yaml', 'd.png', 'vendor', 'docs', 'x.yaml', '.github', '.sops.yaml'];
  const dirs = ['', 'a', 'b', 'a/b', 'vendor', 'vendor/a', 'docs', 'b/vendor'];
  const tree: Tree = {};
  for (let i = 0; i < 14; i++) {
    const d = pick(dirs);
    const n = pick(names.filter((x) => x.includes('.') && x !== '.github'));
    tree[d ? `${d}/${n}` : n] = `f${i}`;
  }
  const pat = (): string => {
    const neg = rnd() < 0.3 ? '!' : '';
    const body = pick([
      '*.yaml',
      'vendor/',
      'docs',
      '/a',
      'a/**/c.yaml',
      '**/x.yaml',
      'b/',
      '*.png',
      'c.yaml',
      '.sops.yaml',
      'a/b',
    ]);
    return neg + body;
  };
  const ignoreDirs = dirs.filter(() => rnd() < 0.3);
  for (const d of ignoreDirs) {
    const lines = Array.from({ length: 1 + Math.floor(rnd() * 3) }, pat);
    tree[d ? `${d}/.sourceignore` : '.sourceignore'] = lines.join('\n') + '\n';
  }
  const ignore = rnd() < 0.3 ? Array.from({ length: 1 + Math.floor(rnd() * 2) }, pat).join('\n') + '\n' : undefined;
  return { name: `seed ${seed}`, tree, ignore };
}

test('sourceignore oracle: 150 seeded random trees agree (working tree)', { skip: si.skip }, () => {
  const disagree: string[] = [];
  for (let seed = 1; seed <= 150; seed++) {
    const c = randomCase(seed);
    const dir = writeTree(c.tree);
    try {
      const want = oracleEntries(dir, c.ignore);
      const got = viewEntries(new DiskRepoFs(dir), '', c.ignore);
      if (JSON.stringify(got) !== JSON.stringify(want))
        disagree.push(`${c.name}: ${JSON.stringify({ tree: c.tree, ignore: c.ignore, want, got })}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  assert.deepEqual(disagree, []);
});
