import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
for (const f of ['/tmp/u.db','/tmp/u.db.wal']) fs.rmSync(f,{force:true});
const i = await DuckDBInstance.create('/tmp/u.db'); const c = await i.connect();
await c.run('CREATE TABLE a(id INTEGER PRIMARY KEY, run VARCHAR, v DOUBLE, n BIGINT)');
await c.run('CREATE TABLE b(id INTEGER, run VARCHAR, v DOUBLE, n BIGINT)');
await c.run('CREATE TABLE s(id INTEGER, run VARCHAR, v DOUBLE, n BIGINT)');
await c.run("INSERT INTO a SELECT i, 'run'||(i//10), random(), i FROM range(100000) t(i)");
await c.run("INSERT INTO b SELECT * FROM a");
async function time(name, sql) {
  const t0 = performance.now();
  for (let k = 0; k < 50; k++) {
    await c.run('BEGIN');
    await c.run(`INSERT INTO s SELECT i, 'run'||(i//10), random(), ${k} FROM range(${k*10}, ${k*10+10}) t(i)`);
    for (const q of sql) await c.run(q);
    await c.run('DELETE FROM s');
    await c.run('COMMIT');
  }
  console.log(name, ((performance.now()-t0)/50).toFixed(2), 'ms/flush');
}
await time('baseline(no upsert)', []);
await time('insert or replace PK', ['INSERT OR REPLACE INTO a SELECT * FROM s']);
await time('update from PK', ['UPDATE a SET v = s.v, n = s.n FROM s WHERE a.id = s.id']);
await time('update from noPK', ['UPDATE b SET v = s.v, n = s.n FROM s WHERE b.id = s.id']);
await time('merge noPK', ['UPDATE b SET v = s.v, n = s.n FROM s WHERE b.id = s.id', 'INSERT INTO b SELECT * FROM s WHERE id NOT IN (SELECT id FROM b)']);
