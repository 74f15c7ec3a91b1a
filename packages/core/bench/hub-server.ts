/** The test suite's local hub as a process, for benchmarks: prints its URL, serves until killed. Argument: the accepted token. */
import { FakeHub } from '../test/hub/fake-hub-server.js';

const hub = await new FakeHub({ token: process.argv[2] ?? 'hf_bench_token_0123456789' }).start();
process.stdout.write(`${hub.url}\n`);
