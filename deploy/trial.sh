#!/usr/bin/env bash
# `npm run test:production-path`: README.md's "Production on PostgreSQL", step by step, on a clean
# clone of this repository (its last commit), as a newcomer follows it:
#   export NODE_ENV=production ...; npm ci; npm run build; npx strapi admin:create-user ...;
#   npm start; npm run seed
# then checks that the seeded content is served, that the administrator logs in, and that
# SIGTERM stops the server with exit code 0. Needs PostgreSQL on TEST_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/postgres) and the npm registry; takes a few minutes.
set -euo pipefail
SOURCE="$(cd "$(dirname "$0")/.." && pwd)"
SERVER_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
WORK="$(mktemp -d /tmp/ia-production-path.XXXXXX)"
DB="ia_production_path_$(date +%s)_$$"
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
SERVER_PID=""

cleanup() {
  [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null || true
  psql "$SERVER_URL" -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
step() { echo "production-path: $*"; }

git clone -q "$SOURCE" "$WORK/cms"
cd "$WORK/cms"
psql "$SERVER_URL" -qc "CREATE DATABASE \"$DB\""
DATABASE_URL="$(node -e "const u=new URL(process.argv[1]); u.pathname='/$DB'; console.log(u.toString())" "$SERVER_URL")"

# The README's block, with REQUIRE_HTTPS=false for a local trial without a TLS proxy.
secret() { openssl rand -base64 32; }
export NODE_ENV=production DATABASE_CLIENT=postgres DATABASE_URL
export APP_KEYS="$(secret),$(secret)" API_TOKEN_SALT="$(secret)" ADMIN_JWT_SECRET="$(secret)"
export TRANSFER_TOKEN_SALT="$(secret)" JWT_SECRET="$(secret)" ENCRYPTION_KEY="$(secret)"
export HOST=127.0.0.1 PORT PUBLIC_URL="http://127.0.0.1:$PORT" REQUIRE_HTTPS=false LOG_LEVEL=warn

step "npm ci (NODE_ENV=production)"
npm ci --no-audit --no-fund --loglevel=error
step "npm run build"
npm run build --silent
step "npx strapi admin:create-user"
npx strapi admin:create-user --email=first-admin@example.test --password='First-admin-passw0rd' \
  --firstname=First --lastname=Admin
step "npm start"
node node_modules/@strapi/strapi/bin/strapi.js start > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/_ready")" = 200 ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 1
done
grep -q "Database name .*$DB" "$WORK/server.log" || { echo "the banner does not name $DB"; cat "$WORK/server.log"; exit 1; }
step "npm run seed"
npm run seed --silent

step "checks"
total="$(curl -sf "http://127.0.0.1:$PORT/api/projects" | node -e "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>console.log(JSON.parse(s).meta.pagination.total))")"
[ "$total" -gt 0 ] || { echo "no project served after the seed"; exit 1; }
login="$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"email":"first-admin@example.test","password":"First-admin-passw0rd"}' "http://127.0.0.1:$PORT/admin/login")"
[ "$login" = 200 ] || { echo "the administrator cannot log in ($login)"; exit 1; }
# The admin panel is built and served.
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/admin")" = 200 ] || { echo "no admin panel"; exit 1; }
# The first visitor cannot make themselves super admin: an administrator exists.
register="$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"email":"intruder@example.test","password":"Intruder-passw0rd1","firstname":"I"}' \
  "http://127.0.0.1:$PORT/admin/register-admin")"
[ "$register" != 200 ] && [ "$register" != 201 ] || { echo "register-admin answered $register"; exit 1; }

kill -TERM "$SERVER_PID"
set +e; wait "$SERVER_PID"; code=$?; set -e
SERVER_PID=""
[ "$code" = 0 ] || { echo "exit code $code after SIGTERM"; cat "$WORK/server.log"; exit 1; }
step "ok ($total projects served, admin created on the command line, SIGTERM exit 0)"
