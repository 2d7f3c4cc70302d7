// Instructions per session read, counted by valgrind's callgrind rather than timed: the figure that does not move
// with what else runs on the machine. For each way (bench/instructions/driver.mjs), two runs that differ only in
// whether CALLS session reads happen after the same setup and warm-up; their difference over CALLS is one read.
// V8 runs single-threaded with fixed seeds, so that compilation and GC happen in the counted thread, repeatably.
// `node bench/instructions.mjs` prints a table (`BENCH_WAYS=D` for ours alone); `--json` what `npm run bench` reads.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const CALLS = Number(process.env.BENCH_CALLS ?? 2000)
const driver = fileURLToPath(new URL('instructions/driver.mjs', import.meta.url))
// Warm reads before the counted ones, of similar instruction totals (1.2-3.4 billion): the cheaper a read, the more
// of them it takes before the JIT has settled. With 2,000, the optimizing compiles of ours still fell in the counted
// window and put 246k instructions on a read that costs 59k once they are done.
const ways = [
  { key: 'D', label: 'ours: requireAmplifyUser', warm: 20_000 },
  { key: 'G', label: 'G Amplify Nuxt guide: runWithAmplifyServerContext + getCurrentUser', warm: 2000 },
  { key: 'H', label: 'H G + the Next.js adapter\'s aws-jwt-verify validator', warm: 2000 },
  { key: 'I', label: 'I nuxt-auth-utils: requireUserSession (sealed cookie, padded to our size)', warm: 2000 },
]

function instructions(way, mode, warm) {
  // Plain node first: jiti's transform cache is then warm, and the counted runs do not transpile.
  const args = ['--single-threaded', '--random-seed=1', '--hash-seed=1', driver, way, mode, String(CALLS), String(warm)]
  const run = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...args], { encoding: 'utf8' })
  const collected = /Collected : (\d+)/.exec(run.stderr)
  if (run.status !== 0 || !collected) throw new Error(`callgrind ${way} ${mode} failed:\n${run.stderr.slice(-2000)}`)
  return Number(collected[1])
}

// BENCH_WAYS=D (or D,G…): only those ways, for checking a change to one hot path.
const only = process.env.BENCH_WAYS?.split(',')
const rows = ways.filter(way => !only || only.includes(way.key)).map(({ key, label, warm }) => {
  const prepared = spawnSync(process.execPath, [driver, key, 'read', '1', '1'], { encoding: 'utf8' })
  if (prepared.status !== 0) throw new Error(`${key}: ${prepared.stderr}`)
  const noop = instructions(key, 'noop', warm)
  const read = instructions(key, 'read', warm)
  const perCall = (read - noop) / CALLS
  console.error(`instructions: ${key} ${Math.round(perCall)} per read`)
  return { key, label, noop, read, perCall }
})
const ours = rows.find(row => row.key === 'D')?.perCall ?? Number.NaN
const peers = rows.filter(row => row.key !== 'D').map(row => ({ key: row.key, ratio: row.perCall / ours }))
const format = n => Math.round(n).toLocaleString('en-US')
const table = `${CALLS} reads after warm ones (20,000 for ours, 2,000 for each peer, whose reads cost 12-26 times more), each on a fresh h3 event with a ~3 KB Cookie header; a run's total minus the same run without the reads.

| way | instructions per read | × ours | run with reads | run without |
| --- | --- | --- | --- | --- |
${rows.map(row => `| ${row.label} | ${format(row.perCall)} | ${(row.perCall / ours).toFixed(1)} | ${format(row.read)} | ${format(row.noop)} |`).join('\n')}`
console.log(process.argv.includes('--json') ? JSON.stringify({ rows, peers, table }) : table)
