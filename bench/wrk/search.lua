-- GET every path of $BENCH_PATHS once: thread t of T takes lines t, t+T, t+2T, ... so no
-- search repeats within a run while the list lasts (every request is a cache miss).
dofile(os.getenv("WRK_LIB") .. "/common.lua")
local paths, n, step
function init(args)
  paths = read_lines(os.getenv("BENCH_PATHS"))
  n = tonumber(thread_id) or 0
  step = tonumber(os.getenv("WRK_THREADS")) or 1
end
function request()
  local path = paths[(n % #paths) + 1]
  n = n + step
  return wrk.format("GET", path)
end
