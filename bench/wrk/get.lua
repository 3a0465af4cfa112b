-- GET $BENCH_PATHS (one path per line), each thread cycling from its own offset.
dofile(os.getenv("WRK_LIB") .. "/common.lua")
local paths, n
function init(args)
  paths = read_lines(os.getenv("BENCH_PATHS"))
  n = tonumber(thread_id) or 0
end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
