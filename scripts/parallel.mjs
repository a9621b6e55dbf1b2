#!/usr/bin/env node
// `node scripts/parallel.mjs <npm script>...`: runs the named npm scripts, as many at a time as the
// machine has cores, in the order given (put the longest first). Each script's output is printed
// in one block when it ends, with its time; the exit code is 1 if any script failed. `npm test`
// runs its static checks this way (issue 20.8): each is one process on one core, so on the 2-core
// build machine two at a time take about half the time of one after another.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: node scripts/parallel.mjs <npm script>...');
  process.exit(2);
}
const npm = process.env.npm_execpath;
const width = Math.max(1, Math.min(availableParallelism(), names.length));

/** Runs one npm script; resolves with whether it passed. Output is kept until it ends. */
function run(name) {
  const began = performance.now();
  // Under npm, npm_execpath is npm's own CLI script: run it with this Node, no shell needed.
  const [command, args] = npm ? [process.execPath, [npm, 'run', '--silent', name]] : ['npm', ['run', '--silent', name]];
  return new Promise((resolveRun) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    let ended = false;
    const finish = (code, error) => {
      if (ended) return;
      ended = true;
      const seconds = ((performance.now() - began) / 1000).toFixed(1);
      const text = Buffer.concat(out).toString().trimEnd();
      const verdict = code === 0 ? 'passed' : `FAILED (${error ? error.message : `exit ${code}`})`;
      process.stdout.write(`\n> ${name}: ${verdict} in ${seconds} s\n${text ? `${text}\n` : ''}`);
      resolveRun(code === 0);
    };
    child.on('error', (error) => finish(1, error));
    child.on('close', (code, signal) => finish(code ?? (signal ? 1 : 0)));
  });
}

const queue = [...names];
let failed = 0;
await Promise.all(
  Array.from({ length: width }, async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) if (!(await run(name))) failed += 1;
  }),
);
console.log(`\nparallel: ${names.length - failed} of ${names.length} passed (${width} at a time)`);
process.exit(failed > 0 ? 1 : 0);
