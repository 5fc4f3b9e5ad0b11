-- wrk script of org.tandemcds.http.CdsHooksBench: CDS Hooks patient-view calls, each carrying its
-- own pre-signed JWT (the server refuses a jti it has seen).
--
-- Arguments after "--": the token file (one line per call: "<patientId><TAB><jwt>") and wrk's
-- thread count n. Thread i (0-based) sends lines i, i + n, i + 2n, ... once each; when its lines
-- run out it stops (wrk then ends early) and done() says so. The requests are built in init(), so
-- request() only hands out a prepared string.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local n = tonumber(args[2])
  calls = {}
  local line_no = 0
  for line in io.lines(args[1]) do
    if line_no % n == id then
      local patient, token = line:match("^([^\t]+)\t(.+)$")
      local body = '{"hook":"patient-view","hookInstance":"wrk-' .. line_no
        .. '","context":{"userId":"Practitioner/1","patientId":"' .. patient .. '"}}'
      calls[#calls + 1] = wrk.format("POST", nil, {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
      }, body)
    end
    line_no = line_no + 1
  end
  tokens = #calls
  sent = 0
  exhausted = 0
end

function request()
  if sent >= #calls then
    -- no unused token left: stop this thread; the request returned here is the discovery GET
    -- (no token, no patient data), never a replayed call
    exhausted = exhausted + 1
    wrk.thread:stop()
    return wrk.format("GET", "/cds-services", {}, nil)
  end
  sent = sent + 1
  return calls[sent]
end

function done(summary, latency, requests)
  local sent_total, tokens_total, exhausted_total = 0, 0, 0
  for _, thread in ipairs(threads) do
    sent_total = sent_total + thread:get("sent")
    tokens_total = tokens_total + thread:get("tokens")
    exhausted_total = exhausted_total + thread:get("exhausted")
  end
  local e = summary.errors
  io.write(string.format(
    "wrk-result requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d"
      .. " status_errors=%d socket_errors=%d sent=%d tokens=%d discovery_after_exhausted=%d\n",
    summary.requests, summary.duration, latency:percentile(50.0), latency:percentile(95.0),
    latency:percentile(99.0), latency.max, e.status, e.connect + e.read + e.write + e.timeout,
    sent_total, tokens_total, exhausted_total))
end
