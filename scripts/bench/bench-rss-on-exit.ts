// Preloaded into a benchmarked child process (`node --require …`): at exit it writes the process's
// peak resident set size to PB_BENCH_RSS_FILE, so the parent measures the real CLI, unmodified.
import fs from 'node:fs';

const file = process.env.PB_BENCH_RSS_FILE;
if (file)
  process.on('exit', () => fs.writeFileSync(file, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })));
