-- The one wrk script of the bench, steered by environment variables:
--   RANGE_BYTES and FILE_BYTES: every request asks for a random RANGE_BYTES-long range of a FILE_BYTES-long file
--   DELAY_MS: each connection waits this long between requests (a low-rate latency probe)
-- done() prints one line "BENCH_RESULT {json}" that bench/lib/wrk.ts reads; latencies are in microseconds.

local range_bytes = tonumber(os.getenv("RANGE_BYTES") or "")
local file_bytes = tonumber(os.getenv("FILE_BYTES") or "")
local delay_ms = tonumber(os.getenv("DELAY_MS") or "")

local threads_started = 0

function setup(thread)
  threads_started = threads_started + 1
  thread:set("thread_number", threads_started)
end

function init(args)
  math.randomseed(os.time() + 7919 * (thread_number or 0))
end

-- wrk calls request() per request only when the script defines it: the fixed-request runs stay on its fast path.
if range_bytes and file_bytes then
  function request()
    local first = math.random(0, file_bytes - range_bytes)
    return wrk.format(nil, nil, { ["Range"] = string.format("bytes=%.0f-%.0f", first, first + range_bytes - 1) })
  end
end

if delay_ms then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"duration_us":%.0f,"requests":%.0f,"bytes":%.0f,' ..
    '"errors":{"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f},' ..
    '"latency_us":{"mean":%.1f,"p50":%.0f,"p90":%.0f,"p99":%.0f,"max":%.0f}}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
