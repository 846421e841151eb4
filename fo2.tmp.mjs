import { readFileSync } from 'node:fs';
import { readStruct, field } from '/work/main/dist/src/parquet/thrift-compact.js';
const b = readFileSync(process.argv[2]); const n = b.readUInt32LE(b.length - 8);
const f = readStruct(new Uint8Array(b.buffer, b.byteOffset + b.length - 8 - n, n)).struct;
const at = Number(process.argv[3]);
for (const [i, g] of field(f, 4).items.entries()) for (const c of field(g, 1).items) { const m = field(c, 3); const s = Number(field(m, 11) ?? field(m, 9)); const e = s + Number(field(m, 7)); if (at >= s && at < e) console.log('rg', i, 'rows', field(g,3), 'col', field(m,3).items.map(x=>Buffer.from(x).toString()).join('.'), s, e, 'enc', String(field(m,2).items)); }
