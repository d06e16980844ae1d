// BullMQ runner for the benchmark harness (bench/harness). One command per process, one JSON line out.
//
//   node bullmq/runner.mjs enqueue  --url redis://127.0.0.1:PORT --n N          bulk-add N no-op jobs (addBulk), timed
//   node bullmq/runner.mjs worker   --url ... --concurrency C                  print {"ready":...}, work until SIGTERM
//   node bullmq/runner.mjs latency  --url ... --n 1000 --interval-ms 5         add stamp jobs one at a time
//   node bullmq/runner.mjs schedule --url ... --n 1000 --min-ms 1000 --max-ms 3000   delayed stamp jobs
//
// A stamp job pushes (start time - reference time) in ms onto the list bench:stamps; the harness reads it.
// Options are BullMQ's documented defaults except concurrency (the harness tries 1, 16 and 50).
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

const QUEUE = 'bench';
// addBulk is one MULTI per call; chunks keep a single call from building a 20k-command transaction in memory,
// and several chunks stay in flight on the one connection (ioredis pipelines them).
const BULK_CHUNK = 1000;
const BULK_IN_FLIGHT = 8;

const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parseArgs(argv) {
  const opts = { n: 1000, concurrency: 1, intervalMs: 5, minMs: 1000, maxMs: 3000 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) { opts[name] = true; continue; }
    opts[name] = /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    i++;
  }
  return opts;
}

const connect = (url) => new IORedis(url, { maxRetriesPerRequest: null });
const print = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

async function enqueue(opts) {
  const connection = connect(opts.url);
  const queue = new Queue(QUEUE, { connection });
  await queue.waitUntilReady();
  const chunks = [];
  for (let i = 0; i < opts.n; i += BULK_CHUNK) {
    chunks.push(Array.from({ length: Math.min(BULK_CHUNK, opts.n - i) }, () => ({ name: 'noop', data: {} })));
  }
  const t0 = performance.now();
  let next = 0;
  const lane = async () => { while (next < chunks.length) await queue.addBulk(chunks[next++]); };
  await Promise.all(Array.from({ length: BULK_IN_FLIGHT }, lane));
  const seconds = (performance.now() - t0) / 1000;
  print({ jobs: opts.n, seconds, jobs_per_s: opts.n / seconds });
  await queue.close();
  await connection.quit();
}

async function worker(opts) {
  const stamps = connect(opts.url);
  const processor = async (job) => {
    if (job.name === 'stamp') {
      const started = nowMs();
      await stamps.rpush('bench:stamps', String(started - job.data.ref));
    }
  };
  const w = new Worker(QUEUE, processor, {
    connection: connect(opts.url),
    concurrency: opts.concurrency,
    autorun: false,
  });
  w.on('error', (err) => process.stderr.write(`worker error: ${err}\n`));
  await w.waitUntilReady();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await w.close();
    await stamps.quit();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  print({ ready: nowMs() / 1000 });
  await w.run();
}

async function latency(opts) {
  const connection = connect(opts.url);
  const queue = new Queue(QUEUE, { connection });
  await queue.waitUntilReady();
  for (let i = 0; i < opts.n; i++) {
    await queue.add('stamp', { ref: nowMs() });
    await sleep(opts.intervalMs);
  }
  print({ enqueued: opts.n });
  await queue.close();
  await connection.quit();
}

async function schedule(opts) {
  const connection = connect(opts.url);
  const queue = new Queue(QUEUE, { connection });
  await queue.waitUntilReady();
  for (let i = 0; i < opts.n; i++) {
    const delay = opts.minMs + Math.random() * (opts.maxMs - opts.minMs);
    const now = nowMs();
    await queue.add('stamp', { ref: now + delay }, { delay });
  }
  print({ scheduled: opts.n });
  await queue.close();
  await connection.quit();
}

const commands = { enqueue, worker, latency, schedule };
const [command, ...rest] = process.argv.slice(2);
if (!commands[command]) {
  process.stderr.write(`usage: runner.mjs ${Object.keys(commands).join('|')} --url URL [...]\n`);
  process.exit(2);
}
await commands[command](parseArgs(rest));
