import { readFileSync } from 'node:fs';
import { readStruct, field } from '/work/main/dist/src/parquet/thrift-compact.js';
const foot = (p) => { const b = readFileSync(p); const n = b.readUInt32LE(b.length - 8); return readStruct(new Uint8Array(b.buffer, b.byteOffset + b.length - 8 - n, n)).struct; };
const show = (v) => JSON.stringify(v, (k, x) => typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('hex').slice(0, 60) : x);
const [a, b] = process.argv.slice(2).map(foot);
const sa = show(a), sb = show(b); let i = 0; while (sa[i] === sb[i]) i++; console.log(sa.length, sb.length, i); console.log(sa.slice(i - 300, i + 100)); console.log('---'); console.log(sb.slice(i - 300, i + 100));
const A = readFileSync(process.argv[2]), B = readFileSync(process.argv[3]); let k = 0; while (A[k] === B[k]) k++; console.log('first byte diff', k, A.length, B.length);
