// duckdb.mjs - the reference job in DuckDB, for tests/bench/reference.
//   node duckdb.mjs answer CSV          the answer, one line per group
//   node duckdb.mjs time CSV NDJSON     seconds per query, one thread
// Run with NODE_PATH at an npm install of @duckdb/node-api made outside
// the repository; nothing of the build or the tests needs it.
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, csv, ndjson] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { threads: '1' });
const c = await db.connect();

// Per ISO week of the UTC time and channel, voided orders left out.
function query(from) {
	return `select strftime(date_trunc('week', timezone('UTC', t)), '%G-W%V') as week,
	    channel, sum(cents) as cents, count(*) as orders,
	    sum(cents) / count(*) / 100 as aov, count(distinct email) as customers
	  from (select "Created at"::timestamptz as t, "Source" as channel,
	          round("Total" * 100)::bigint as cents, "Email" as email
	        from ${from} where "Financial Status" <> 'voided')
	  group by all order by all`;
}
const fromCsv = `read_csv('${csv}', header = true, all_varchar = false,
    types = {'Created at': 'VARCHAR', 'Total': 'DECIMAL(12,2)'})`;
const fromJson = `read_ndjson('${ndjson}', columns = {'Name': 'VARCHAR',
    'Email': 'VARCHAR', 'Financial Status': 'VARCHAR', 'Source': 'VARCHAR',
    'Total': 'DECIMAL(12,2)', 'Created at': 'VARCHAR'})`;

if (mode === 'answer') {
	await c.run("set TimeZone = 'UTC'");
	const r = await c.runAndReadAll(query(fromCsv));
	for (const row of r.getRows())
		console.log(`${row[0]} ${row[1]} ${row[2]} ${row[3]} ${row[5]}`);
} else {
	await c.run("set TimeZone = 'UTC'");
	for (const [name, from] of [['csv', fromCsv], ['ndjson', fromJson]]) {
		const t0 = process.hrtime.bigint();
		await c.runAndReadAll(query(from));
		const t1 = process.hrtime.bigint();
		console.log(`${name} ${Number(t1 - t0) / 1e9}`);
	}
}
