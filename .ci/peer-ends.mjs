// Prints the lowest and the highest published version within a peer dependency's range: `node .ci/peer-ends.mjs rxjs`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const name = process.argv[2];
const range = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).peerDependencies[name];
if (range === undefined) throw new Error(`${name} is not a peer dependency`);
const listed = JSON.parse(execFileSync('npm', ['view', `${name}@${range}`, 'version', '--json'], { encoding: 'utf8' }));
const versions = (Array.isArray(listed) ? listed : [listed]).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
const key = (v) => v.split('.').map(Number);
versions.sort((a, b) => key(a).reduce((order, part, i) => order || part - key(b)[i], 0));
console.log(`${versions[0]} ${versions.at(-1)}`);
