// Trunk post-build hook (Trunk.toml): gives the full app's files a content hash in their names,
// as Trunk does for the shell's, so that a browser never mixes a cached full app with a newer
// shell. Trunk leaves "worker" assets unhashed; this renames them, points the JS glue at the
// renamed wasm, and names the JS in a <meta name="bsa-full-app"> of index.html, which the shell
// reads (src/services/full_app.rs).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync, unlinkSync, existsSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: this script runs as a Trunk hook');
const js = path.join(dir, 'bsa-studio-full.js');
const wasm = path.join(dir, 'bsa-studio-full_bg.wasm');
if (!existsSync(js) || !existsSync(wasm)) throw new Error(`the full app's files are missing in ${dir}`);

const hash = createHash('sha256').update(readFileSync(wasm)).update(readFileSync(js)).digest('hex').slice(0, 16);
const jsName = `bsa-studio-full-${hash}.js`;
const wasmName = `bsa-studio-full-${hash}_bg.wasm`;
const glue = readFileSync(js, 'utf8');
const reference = "'bsa-studio-full_bg.wasm'";
if (!glue.includes(reference)) throw new Error(`the JS glue no longer names ${reference}`);
writeFileSync(path.join(dir, jsName), glue.replace(reference, `'${wasmName}'`));
renameSync(wasm, path.join(dir, wasmName));
// The unhashed JS goes: only the hashed one is ever loaded.
unlinkSync(js);

const index = path.join(dir, 'index.html');
const html = readFileSync(index, 'utf8');
if (!html.includes('</head>')) throw new Error('index.html has no </head>');
writeFileSync(index, html.replace('</head>', `<meta name="bsa-full-app" content="${jsName}"></head>`));
console.log(`full app: ${jsName}, ${wasmName}`);
