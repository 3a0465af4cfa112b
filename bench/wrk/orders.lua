-- POST /api/v1/orders/ as many users (bearer tokens from $BENCH_TOKENS, round robin), one unit
-- of $BENCH_PRODUCT, or of a random product in [$BENCH_PRODUCT_LO, $BENCH_PRODUCT_HI].
dofile(os.getenv("WRK_LIB") .. "/common.lua")
local tokens, n, hot, lo, hi
function init(args)
  tokens = read_lines(os.getenv("BENCH_TOKENS"))
  n = (tonumber(thread_id) or 0) * 97
  hot = tonumber(os.getenv("BENCH_PRODUCT") or "")
  lo = tonumber(os.getenv("BENCH_PRODUCT_LO") or "1")
  hi = tonumber(os.getenv("BENCH_PRODUCT_HI") or "1")
  math.randomseed(os.time() + n)
end
function request()
  n = n + 1
  local pid = hot or math.random(lo, hi)
  return wrk.format("POST", "/api/v1/orders/", {
    ["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1],
    ["Content-Type"] = "application/json",
  }, '{"product_id":' .. pid .. ',"quantity":1}')
end
