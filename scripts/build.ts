// `npm run build`: src/ → dist/ as plain JavaScript for `node dist/api.js` (no tsx at runtime).
//
// Why esbuild file-by-file and not one bundle, and not tsc:
// - Each src/X.ts becomes dist/X.js at the same relative place, so every path a module resolves
//   from its own location keeps working unchanged: ../../migrations (db/migrate.ts),
//   ../../package.json (services/health.service.ts), ./assets (ui/assets.ts), the code sandbox's
//   ./code-sandbox-child.cjs. A bundle would move all of them to dist/ and also rename clashing
//   top-level names, which breaks the in-page scanner (browser/scan/page-script.ts stringifies
//   functions that call each other by their source names).
// - esbuild is what tsx runs the tests with (same transform, keepNames included), in well under a
//   second; tsc would emit the same files in tens of seconds and type checking is `npm run typecheck`.
// Relative imports are rewritten from .ts to .js; packages stay imports of node_modules.
// Non-TypeScript files under src/ (viewer.css/js, code-sandbox-child.cjs) are copied beside them.
//
// Usage: node --import tsx scripts/build.ts [--outdir <dir>]   (the folder must sit in the
// project root, like dist/, so ../../package.json and node_modules resolve from it).
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');

function outdirArg(): string {
  const i = process.argv.indexOf('--outdir');
  const dir = path.resolve(ROOT, i > 0 ? process.argv[i + 1] ?? '' : 'dist');
  if (path.dirname(dir) !== ROOT) throw new Error(`--outdir must be a folder directly in ${ROOT} (got ${dir})`);
  return dir;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  });
}

const isTest = (file: string) => /\.test\.ts$/.test(file);
const isSource = (file: string) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !isTest(file);
const isAsset = (file: string) => !file.endsWith('.ts') && !file.endsWith('.md');

/** Every import stays an import: relative ones point at the sibling .js, bare ones at node_modules. */
const keepImports: Plugin = {
  name: 'keep-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      const target = path.resolve(args.resolveDir, args.path);
      if (!target.startsWith(SRC + path.sep)) throw new Error(`${args.importer} imports ${args.path}, outside src/`);
      return { path: args.path.replace(/\.(m|c)?ts$/, '.$1js'), external: true };
    });
  },
};

export async function buildDist(outdir = outdirArg()): Promise<{ outdir: string; files: number; assets: number; ms: number }> {
  const started = performance.now();
  const files = walk(SRC);
  const entryPoints = files.filter(isSource);
  const assets = files.filter(isAsset);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints,
    outbase: SRC,
    outdir,
    bundle: true, // with every import external (plugin above): one file in, one file out
    plugins: [keepImports],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    keepNames: true, // as under tsx: Function.name / class names unchanged
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
  });
  for (const file of assets) cpSync(file, path.join(outdir, path.relative(SRC, file)));
  return { outdir, files: entryPoints.length, assets: assets.length, ms: Math.round(performance.now() - started) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await buildDist();
  console.log(`built ${r.files} modules and ${r.assets} assets into ${path.relative(ROOT, r.outdir)}/ in ${r.ms} ms`);
}
