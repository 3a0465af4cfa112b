-- GET $BENCH_PATHS (one path per line) with "Authorization: Bearer $BENCH_TOKEN", each thread
-- cycling from its own offset (for lists that are not cached, such as the admin order search).
dofile(os.getenv("WRK_LIB") .. "/common.lua")
local paths, n, headers
function init(args)
  paths = read_lines(os.getenv("BENCH_PATHS"))
  n = (tonumber(thread_id) or 0) * 101
  headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], headers)
end
