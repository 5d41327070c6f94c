/**
 * The baseline in several processes on one SQLite file (node:cluster, BASELINE_PROCESSES, default 2):
 * what a second core buys the bare server when each process has its own connection to the same WAL
 * file. Each worker runs baseline-server.js; they share the listening port, and the first worker's
 * "listening" line is the server's. SIGTERM ends the workers, then the primary.
 */
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';

const processes = Number(process.env.BASELINE_PROCESSES ?? 2);
cluster.setupPrimary({ exec: fileURLToPath(new URL('./baseline-server.js', import.meta.url)) });
// Workers ask the primary for the listening socket one at a time; the schema is made by the first.
for (let i = 0; i < processes; i++) cluster.fork();
cluster.on('exit', (worker, code) => {
  if (code !== 0 && !stopping) process.stderr.write(`baseline worker ${worker.process.pid} exited ${code}\n`);
  if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
});
let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
});
