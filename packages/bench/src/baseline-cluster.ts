/**
 * The baseline in several processes on one SQLite file (node:cluster, BASELINE_PROCESSES, default 2):
 * what a second core buys the bare server when each process has its own connection to the same WAL
 * file. Each worker runs baseline-server.js and they share the listening port; the primary prints
 * the "listening" line once every worker listens (before that, the primary would hand every new
 * connection to the first worker up). SIGTERM ends the workers, then the primary.
 */
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';

const processes = Number(process.env.BASELINE_PROCESSES ?? 2);
cluster.setupPrimary({ exec: fileURLToPath(new URL('./baseline-server.js', import.meta.url)), silent: true });
let stopping = false;
const listening = new Set<number>();
let url: string | undefined;
for (let i = 0; i < processes; i++) {
  const worker = cluster.fork();
  let buffered = '';
  worker.process.stderr?.pipe(process.stderr);
  worker.process.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const said = /"msg":"listening"/.test(line) ? (JSON.parse(line) as { url: string }) : null;
      if (!said) continue;
      url ??= said.url;
      listening.add(worker.id);
      if (listening.size === processes) process.stdout.write(`${JSON.stringify({ msg: 'listening', url, processes })}\n`);
    }
  });
}
cluster.on('exit', (worker, code) => {
  if (code !== 0 && !stopping) process.stderr.write(`baseline worker ${worker.process.pid} exited ${code}\n`);
  if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(stopping ? 0 : 1);
});
process.once('SIGTERM', () => {
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
});
