#!/usr/bin/env bash
# `npm run test:production-path`: the operator guide's "Production on PostgreSQL"
# (docs/operators.md), step by step, on a clean clone of this repository (its last commit), as a
# newcomer follows it:
#   a PostgreSQL role that is no superuser and its database, the extensions made by a superuser;
#   the environment file from deploy/cms.env.example (ensure-env.js, then its settings edited),
#   loaded with `set -a; . file; set +a`; npm ci; npm run build; npx strapi admin:create-user;
#   the server started as the systemd unit starts it; npm run seed in another shell that loads
#   the same file (and refused in a shell that does not)
# then checks that the seeded content is served, that Redis is in use, that the administrator logs
# in, and that SIGTERM stops the server with exit code 0. Needs a PostgreSQL superuser on
# TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), redis-server and the npm
# registry; takes a few minutes.
set -euo pipefail
SOURCE="$(cd "$(dirname "$0")/.." && pwd)"
SERVER_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
WORK="$(mktemp -d /tmp/ia-production-path.XXXXXX)"
DB="ia_production_path_$(date +%s)_$$"
ROLE="${DB}_cms"
ROLE_PASSWORD="$(openssl rand -hex 16)"
ENV_FILE="$WORK/inter-actions-cms.env"
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
PORT="$(free_port)"
REDIS_PORT="$(free_port)"
METRICS_PORT="$(free_port)"
SERVER_PID=""
REDIS_PID=""

cleanup() {
  [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null || true
  [ -n "$REDIS_PID" ] && kill -KILL "$REDIS_PID" 2>/dev/null || true
  psql "$SERVER_URL" -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
  psql "$SERVER_URL" -qc "DROP ROLE IF EXISTS \"$ROLE\"" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
step() { echo "production-path: $*"; }
fail() { echo "production-path: FAILED: $*"; exit 1; }

command -v redis-server >/dev/null || fail "redis-server is not installed (apt-get install redis-server)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no > "$WORK/redis.log" 2>&1 &
REDIS_PID=$!
disown "$REDIS_PID" # killed in cleanup, without a job notice

git clone -q "$SOURCE" "$WORK/cms"
cd "$WORK/cms"

step "PostgreSQL: role $ROLE (no superuser), its database, the extensions (as a superuser)"
psql "$SERVER_URL" -v ON_ERROR_STOP=1 -q <<SQL
CREATE ROLE "$ROLE" LOGIN PASSWORD '$ROLE_PASSWORD';
CREATE DATABASE "$DB" OWNER "$ROLE";
\connect "$DB"
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SQL
DATABASE_URL="$(node -e "const u=new URL(process.argv[1]); u.username=process.argv[2]; u.password=process.argv[3]; u.pathname='/'+process.argv[4]; console.log(u.toString())" "$SERVER_URL" "$ROLE" "$ROLE_PASSWORD" "$DB")"

step "the environment file, from deploy/cms.env.example"
node scripts/ensure-env.js --from deploy/cms.env.example --to "$ENV_FILE"
# What the operator edits. For a local trial without the TLS proxy: this machine's address,
# plain HTTP, loopback ports.
setting() {
  grep -q "^$1=" "$ENV_FILE" || fail "deploy/cms.env.example has no $1="
  sed -i "s|^$1=.*|$1=$2|" "$ENV_FILE"
}
setting DATABASE_URL "$DATABASE_URL"
setting REDIS_URL "redis://127.0.0.1:$REDIS_PORT"
# One redis-server here; production gives the response cache a Redis of its own (deploy/redis-cache.conf).
setting RESPONSE_CACHE_REDIS_URL "redis://127.0.0.1:$REDIS_PORT/1"
setting HOST 127.0.0.1
setting PORT "$PORT"
setting PUBLIC_URL "http://127.0.0.1:$PORT"
setting REQUIRE_HTTPS false
setting METRICS_PORT "$METRICS_PORT"
set -a; . "$ENV_FILE"; set +a

step "npm ci (NODE_ENV=$NODE_ENV)"
npm ci --no-audit --no-fund --loglevel=error
step "npm run build (REDIS_URL set: it must still exit by itself)"
timeout 900 npm run build --silent || fail "npm run build did not finish (exit code $?)"
step "npx strapi admin:create-user"
npx strapi admin:create-user --email=first-admin@example.test --password='First-admin-passw0rd' \
  --firstname=First --lastname=Admin
step "the server, as deploy/inter-actions-cms.service starts it"
node node_modules/@strapi/strapi/bin/strapi.js start > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/_ready")" = 200 ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; fail "the server exited"; }
  sleep 1
done

# "Another shell": nothing but what the operator loads into it.
another_shell() { env -i HOME="$HOME" PATH="$PATH" bash -c "cd '$WORK/cms' && $1"; }
step "npm run seed in another shell that does not load the file: refused"
if another_shell 'NODE_ENV=production npm run seed --silent' > "$WORK/refused.log" 2>&1; then
  cat "$WORK/refused.log"; fail "the seed ran in production without a database setting"
fi
grep -q "Refusing to run in production" "$WORK/refused.log" || { cat "$WORK/refused.log"; fail "no refusal"; }
step "npm run seed in another shell that loads the file"
another_shell "set -a; . '$ENV_FILE'; set +a; npm run seed --silent" | tee "$WORK/seed.log"
grep -q "^Database: PostgreSQL, database $DB on " "$WORK/seed.log" || fail "the seed does not name $DB"

step "checks"
total="$(curl -sf "http://127.0.0.1:$PORT/api/projects" | node -e "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>console.log(JSON.parse(s).meta.pagination.total))")"
[ "$total" -gt 0 ] || fail "no project served after the seed"
ready="$(curl -sf "http://127.0.0.1:$PORT/_ready")"
echo "$ready" | grep -q '"redis":"ok"' || fail "readiness does not show Redis in use: $ready"
curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/sites" && curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/sites"
cached="$(redis-cli -p "$REDIS_PORT" -n 1 --scan --pattern 'ia:cache:v2:entry:*' | wc -l)"
[ "$cached" -gt 0 ] || fail "nothing cached in RESPONSE_CACHE_REDIS_URL"
login="$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"email":"first-admin@example.test","password":"First-admin-passw0rd"}' "http://127.0.0.1:$PORT/admin/login")"
[ "$login" = 200 ] || fail "the administrator cannot log in ($login)"
# The admin panel is built and served.
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/admin")" = 200 ] || fail "no admin panel"
# The first visitor cannot make themselves super admin: an administrator exists.
register="$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"email":"intruder@example.test","password":"Intruder-passw0rd1","firstname":"I"}' \
  "http://127.0.0.1:$PORT/admin/register-admin")"
[ "$register" != 200 ] && [ "$register" != 201 ] || fail "register-admin answered $register"

kill -TERM "$SERVER_PID"
set +e; wait "$SERVER_PID"; code=$?; set -e
SERVER_PID=""
[ "$code" = 0 ] || { cat "$WORK/server.log"; fail "exit code $code after SIGTERM"; }
step "ok ($total projects served, Redis in use for the limits and the cache, admin created on the command line, SIGTERM exit 0)"
