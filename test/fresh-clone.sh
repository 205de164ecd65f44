#!/usr/bin/env bash
# README's two commands on a fresh clone, the way users run them: as root in a
# private directory (mode 0700, like /root or `mktemp -d`), and as an ordinary
# user in their home. For each: `npm install && npm start` serves /readyz, an
# SLO created in the first run is there after Ctrl-C and a second start, no
# PostgreSQL is left running, and `npm test` passes.
#
#   test/fresh-clone.sh root [jest args...]   clone under $(mktemp -d), run as root
#   test/fresh-clone.sh user [jest args...]   clone into a new user's home (needs root)
#
# Jest args, when given, narrow `npm test` (CI runs the whole suite in the root
# case and the embedded-database files in the user case).
set -euo pipefail
mode=${1:?usage: fresh-clone.sh root|user [jest args...]}
shift
src=$(cd "$(dirname "$0")/.." && pwd)
port=${FRESH_CLONE_PORT:-14318}

say() { echo "== fresh-clone ($mode): $*"; }

# copy_tree DST: the checkout as a user gets it (a git clone when we can).
copy_tree() {
  if git -C "$src" rev-parse --git-dir >/dev/null 2>&1 && git clone -q "$src" "$1" 2>/dev/null; then
    return
  fi
  mkdir -p "$1"
  tar -C "$src" --exclude=./node_modules --exclude=./dist --exclude=./.data -cf - . | tar -C "$1" -xf -
}

# user_prefix: the words that run a command as the case's user, with that
# user's environment. setpriv execs in place (su would stay in between, and
# answers a Ctrl-C by killing its child).
user_prefix() {
  if [ "$mode" = user ]; then
    echo setpriv --reuid="$user" --regid="$user" --init-groups \
      env -i HOME="$home" USER="$user" LOGNAME="$user" PATH="$PATH" PORT="$port"
  fi
}

# run_as CMD: a shell command as the case's user, in the clone.
run_as() {
  (cd "$dir" && $(user_prefix) bash -c "$1")
}

wait_ready() {
  local t0=$SECONDS
  until curl -sf "localhost:$port/readyz" >/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "npm start exited before it was ready"; cat "$log"; exit 1
    fi
    if (( SECONDS - t0 > 120 )); then say "/readyz not 200 within 120 s"; tail -20 "$log"; exit 1; fi
    sleep 1
  done
  say "/readyz 200 after $(( SECONDS - t0 )) s"
}

# start: `npm start` in its own session, so Ctrl-C can be sent to its whole
# process group the way a terminal sends it.
start() {
  log=$(mktemp)
  chmod 666 "$log"
  # exec all the way down: $pid is npm itself, leader of its own process group.
  (cd "$dir" && PORT=$port exec setsid $(user_prefix) npm start >"$log" 2>&1) &
  pid=$!
  wait_ready
  cluster=$(grep -o 'started with its data in [^"]*' "$log" | sed 's/.* in //')
  [ -n "$cluster" ] || { say "no 'started with its data in' line in the log"; exit 1; }
  say "embedded PostgreSQL data in $cluster"
}

ctrl_c() {
  local pgid
  pgid=$(ps -o pgid= -p "$pid" | tr -d ' ')
  kill -INT -- "-$pgid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then say "still running 30 s after Ctrl-C"; exit 1; fi
  # The embedded server of this clone runs `postgres -D <its data dir>`.
  sleep 1
  if pgrep -f "postgres -D $cluster" >/dev/null; then
    say "a PostgreSQL server was left running:"; pgrep -af "postgres -D"; exit 1
  fi
  say "Ctrl-C stopped it, no PostgreSQL left"
}

if [ "$mode" = user ]; then
  [ "$(id -u)" = 0 ] || { say "needs root to create the user; skipped"; exit 0; }
  user=burnwatch-ci
  id "$user" >/dev/null 2>&1 || useradd -m -s /bin/bash "$user"
  home=$(getent passwd "$user" | cut -d: -f6)
  rm -rf "$home/c"
  copy_tree "$home/c"
  chown -R "$user:" "$home/c"
  dir=$home/c
else
  base=$(mktemp -d)   # mode 0700: the postgres user cannot enter it
  dir=$base/c
  copy_tree "$dir"
fi
say "clone in $dir"

run_as "npm install --no-audit --no-fund >/dev/null"
start
slo=$(curl -sf -X POST "localhost:$port/api/v1/slos" -H 'Content-Type: application/json' \
  -d '{"name":"fresh-clone-check","service":"checkout","indicator":{"type":"availability"},"objective":99.9,"window":"30d"}')
[[ $slo == *fresh-clone-check* ]] || { say "SLO not created: $slo"; exit 1; }
ctrl_c
start
curl -sf "localhost:$port/api/v1/slos" | grep -q '"name":"fresh-clone-check"' || { say "second start lost the SLO"; exit 1; }
say "second start found the SLO"
ctrl_c

run_as "npm test -- $*"
say "npm test passed"

# Leave nothing behind in the root case: the clone, and the data directory
# the engine placed under /var/lib/burnwatch for it (one per clone).
if [ "$mode" = root ]; then
  case $cluster in /var/lib/burnwatch/data-*) rm -rf "$(dirname "$cluster")" ;; esac
  rm -rf "$base"
fi
