#!/usr/bin/env node
// `node scripts/parallel.mjs <npm script>...`: runs the named npm scripts, as many at a time as the
// machine has cores, in the order given (put the longest first). Each script's output is printed
// in one block when it ends, with its time; the exit code is 1 if any script failed. `npm test`
// runs its static checks this way (issue 20.8): each is one process on one core, so on the 2-core
// build machine two at a time take about half the time of one after another.
//
// `node scripts/parallel.mjs --while <npm script> <npm script>...`: runs the first script in the
// foreground (its output as it comes, its own CPU priority) and, meanwhile, the others as above at
// the lowest CPU priority, their blocks printed once the foreground script ends. `npm test` runs
// the static checks beside the unit tests this way: the unit run leaves about a third of the two
// cores idle (tests that wait on sockets, child processes and timers), and the checks fill it;
// at the lowest priority, the tests get a core first whenever they need one.
import { spawn } from 'node:child_process';
import { availableParallelism, constants, setPriority } from 'node:os';

const argv = process.argv.slice(2);
const foreground = argv[0] === '--while' ? argv[1] : undefined;
const names = foreground === undefined ? argv : argv.slice(2);
if (names.length === 0 || (argv[0] === '--while' && foreground === undefined)) {
  console.error('usage: node scripts/parallel.mjs [--while <npm script>] <npm script>...');
  process.exit(2);
}
const npm = process.env.npm_execpath;
const width = Math.max(1, Math.min(availableParallelism(), names.length));

/** Holds the blocks of finished scripts while the foreground script writes (`--while`). */
let held = foreground === undefined ? undefined : [];
const print = (text) => (held ? held.push(text) : process.stdout.write(text));

/** The command that runs one npm script. */
function npmRun(name) {
  // Under npm, npm_execpath is npm's own CLI script: run it with this Node, no shell needed.
  return npm ? [process.execPath, [npm, 'run', '--silent', name]] : ['npm', ['run', '--silent', name]];
}

/** Runs the foreground script with the terminal as its output; resolves with whether it passed. */
function runForeground(name) {
  const [command, args] = npmRun(name);
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => {
      console.error(`${name}: ${error.message}`);
      resolveRun(false);
    });
    child.on('close', (code, signal) => resolveRun(code === 0 && signal === null));
  });
}

/** Runs one npm script; resolves with whether it passed. Output is kept until it ends. */
function run(name) {
  const began = performance.now();
  const [command, args] = npmRun(name);
  return new Promise((resolveRun) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    // Beside a foreground script, the lowest priority: set before npm (which takes a good part of
    // a second to start) starts the script's own processes, which inherit it.
    if (foreground !== undefined && child.pid !== undefined) {
      try {
        setPriority(child.pid, constants.priority.PRIORITY_LOW);
      } catch {
        // Not allowed here: the script runs at normal priority, which changes only the timing.
      }
    }
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
      print(`\n> ${name}: ${verdict} in ${seconds} s\n${text ? `${text}\n` : ''}`);
      resolveRun(code === 0);
    };
    child.on('error', (error) => finish(1, error));
    child.on('close', (code, signal) => finish(code ?? (signal ? 1 : 0)));
  });
}

const queue = [...names];
let failed = 0;
let ended = 0;
const others = Promise.all(
  Array.from({ length: width }, async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      if (!(await run(name))) failed += 1;
      ended += 1;
    }
  }),
);
if (foreground !== undefined) {
  const passed = await runForeground(foreground);
  for (const text of held) process.stdout.write(text);
  held = undefined;
  if (!passed) {
    failed += 1;
    console.log(`\nparallel: ${foreground} FAILED`);
  }
  if (ended < names.length) console.log(`\nparallel: waiting for ${names.length - ended} of ${names.length} more`);
}
await others;
const total = names.length + (foreground === undefined ? 0 : 1);
console.log(
  `\nparallel: ${total - failed} of ${total} passed (${width} at a time${foreground ? `, beside ${foreground}` : ''})`,
);
process.exit(failed > 0 ? 1 : 0);
