-- POST /api/v1/users/login (OAuth2 form) with valid credentials, cycling over the users in
-- $BENCH_EMAILS: successes are not throttled, so this measures bcrypt and the token issue.
dofile(os.getenv("WRK_LIB") .. "/common.lua")
local emails, n, password
function init(args)
  emails = read_lines(os.getenv("BENCH_EMAILS"))
  n = (tonumber(thread_id) or 0) * 101
  password = os.getenv("BENCH_PASSWORD")
end
function request()
  n = n + 1
  return wrk.format("POST", "/api/v1/users/login",
    { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "username=" .. emails[(n % #emails) + 1] .. "&password=" .. password)
end
