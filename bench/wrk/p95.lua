-- Prints what wrk's own summary lacks, as one JSON line bench/latency.py can parse:
-- p50, p95 and p99 in microseconds, the request rate, and errors split by kind.
-- wrk counts answers >= 400 as status errors; redirects pass, so latency.py checks each
-- target's status and heading itself before and after timing it.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_us": %.1f, "p95_us": %.1f, '
      .. '"p99_us": %.1f, "max_us": %.1f, "socket_errors": %d, "status_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
