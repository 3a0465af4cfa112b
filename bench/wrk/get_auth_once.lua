-- get_auth.lua, but every path is sent once: thread k of n (one connection each) takes paths
-- k+1, k+1+n, ... in turn and stops after its share. With the cache emptied first, it measures
-- a pass that no cached answer helps (the admin order search's first look at each filter).
-- The path advances on each answer, not on each request(): wrk also calls request() once
-- when a thread starts, without sending what it returns.
dofile(os.getenv("WRK_LIB") .. "/common.lua")
local paths, headers, step, n
function init(args)
  paths = read_lines(os.getenv("BENCH_PATHS"))
  step = tonumber(os.getenv("WRK_THREADS"))
  n = (tonumber(thread_id) or 0) + 1
  headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
end
function request()
  return wrk.format("GET", paths[math.min(n, #paths)], headers)
end
function response(status, headers, body)
  n = n + step
  if n > #paths then wrk.thread:stop() end
end
