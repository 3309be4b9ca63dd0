#!/usr/bin/env bash
# Build, test, ship and (re)start moviedash under nohup: on a VPS over ssh, or into a directory of this
# machine (--local, which the tests use). Both run the same target-side half of this script: it is
# copied to DIR/deploy.sh on the target and run there as `deploy.sh --target-side ACTION DIR ...`.
set -euo pipefail

# Every setting of `node dist/main.js --help` (test/deploy.test.ts checks that none is missing).
readonly SETTINGS=(PORT HOST DATA_DIR VIDEO_DIR MAX_UPLOAD_MB STREAM_MAX_CONNS STREAM_QUEUE_MS SESSION_TTL_MIN
  SESSION_MAX_DAYS SCHEDULER_INTERVAL_S WORKERS SHUTDOWN_GRACE_S LOG_FORMAT OPERATOR_PORT MAX_CONNECTIONS
  TRUST_PROXY SIGNUP AUTH_RATE_PER_MIN USER_QUOTA_MB MIN_FREE_DISK_MB STREAMS_PER_CLIENT STREAM_STALL_S
  COMMENT_RATE_PER_MIN MAX_PENDING_VIDEOS MAX_UPLOADS_PER_USER RESUMABLE_EXPIRY_H ACCEL_REDIRECT_PREFIX STORAGE
  S3_ENDPOINT S3_REGION S3_BUCKET S3_PREFIX S3_ACCESS_KEY_ID S3_SECRET_ACCESS_KEY S3_FORCE_PATH_STYLE
  S3_DELIVERY S3_PUBLIC_URL S3_PRESIGN_TTL_S S3_PART_MB)
readonly KEEP_RELEASES=3
readonly KEEP_BACKUPS=3
readonly HEALTH_TIMEOUT_S=30
# After SIGTERM the server has SHUTDOWN_GRACE_S to finish requests; this much more before SIGKILL.
readonly STOP_MARGIN_S=5

usage() {
  cat <<'EOF'
Usage:
  ./deploy.sh [--no-test] user@host[:dir] [SETTINGS]   build, test, ship over ssh and restart the server there
  ./deploy.sh [--no-test] --local DIR [SETTINGS]       the same into DIR on this machine
  ./deploy.sh TARGET --status               running or not: pid, release, port, health
  ./deploy.sh TARGET --stop                 SIGTERM, then SIGKILL if still running after the grace period
  ./deploy.sh TARGET --logs [--follow]      the last 200 lines of the server's log
  ./deploy.sh TARGET --restart              stop and start the current release (after a reboot, say)
  ./deploy.sh TARGET --rollback             restart the release before the current one
  ./deploy.sh TARGET --backup [DIR]         an online backup of the database, copied into DIR here
                                            (default ./backups); the server keeps running
  ./deploy.sh --help

TARGET is user@host[:dir] (dir defaults to "moviedash" in the remote home) or --local DIR.

A deploy runs `npm test` here (--no-test skips it), compiles a release of its own (the project's
dist/ is left alone), ships it with package.json and package-lock.json, installs the production dependencies on the target
(`npm ci --omit=dev`; reused from the previous release when package-lock.json is unchanged),
stops the running server, starts the new one with nohup and waits for GET /healthz on the
operator listener (127.0.0.1:OPERATOR_PORT). If it does not come up within 30 s, the previous
release is started again and deploy.sh exits 1.

SETTINGS are the server's settings (`node dist/main.js --help`), given on the command line as
KEY=VALUE or as the server's --flag VALUE; they are saved on the target and passed to the server,
and later deploys, restarts and rollbacks keep them until a deploy gives them again. Variables
exported in your shell are never read.
  e.g.  ./deploy.sh me@vps.example.com PORT=8081 --max-upload-mb 2048

The server never runs as root: run deploy.sh as an ordinary user on the target, or pass
--allow-root to each deploy, --restart and --rollback. Files on the target are created with
umask 077 (the database, the log and shared/env are readable by that user only).

On the target:
  DIR/releases/<time>/        one directory per deploy (the last 3 are kept)
  DIR/current                 symlink to the live release
  DIR/shared/data, videos     the default DATA_DIR and VIDEO_DIR, kept across releases
  DIR/shared/moviedash.log    the server's output (access and error lines)
  DIR/shared/moviedash.pid    the running server's pid
  DIR/shared/env              the saved settings
  DIR/shared/backups/         the last 3 backups made by --backup

The target needs bash, curl, tar, Node 20 on the PATH of a non-interactive ssh session and, if
better-sqlite3 has no prebuilt binary for it, python3, make and g++.
EOF
}

say() { printf 'deploy.sh: %s\n' "$*"; }
die() {
  say "error: $*" >&2
  exit 1
}
# Single-quotes a word for a remote shell.
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

is_setting() {
  local var
  for var in "${SETTINGS[@]}"; do [[ $1 == "$var" ]] && return 0; done
  return 1
}

# The setting of a server flag (--max-upload-mb -> MAX_UPLOAD_MB), or failure.
setting_of_flag() {
  local name=${1#--}
  name=${name^^}
  name=${name//-/_}
  is_setting "$name" && echo "$name"
}

# ---------------------------------------------------------------------------------------------------------
# Builder side: runs where ./deploy.sh was typed.

main() {
  if [[ ${1:-} == --target-side ]]; then
    shift
    target_side "$@"
    return
  fi
  local target='' local_dir='' action=deploy run_tests=1 follow='' allow_root='' backup_dir=backups name
  local settings=()
  while (($# > 0)); do
    case $1 in
      -h | --help) usage && return 0 ;;
      --local) (($# >= 2)) || die "--local needs a directory"; local_dir=$2 && shift ;;
      --no-test) run_tests=0 ;;
      --allow-root) allow_root=--allow-root ;;
      --status | --stop | --restart | --logs | --rollback | --backup)
        [[ $action == deploy ]] || die "one of --status, --stop, --restart, --logs, --rollback, --backup at a time"
        action=${1#--}
        if [[ $action == backup && -n $target$local_dir && $# -ge 2 && $2 != -* ]]; then backup_dir=$2 && shift; fi ;;
      --follow | -f) follow=--follow ;;
      --*=*)
        name=$(setting_of_flag "${1%%=*}") || die "unknown option ${1%%=*} (see --help)"
        settings+=("$name=${1#*=}") ;;
      -*)
        name=$(setting_of_flag "$1") || die "unknown option $1 (see --help)"
        (($# >= 2)) || die "$1 needs a value"
        settings+=("$name=$2") && shift ;;
      [A-Z]*=*)
        is_setting "${1%%=*}" || die "not a setting: ${1%%=*} (see node dist/main.js --help)"
        settings+=("$1") ;;
      *) [[ -z $target ]] || die "one target at a time: $target or $1"; target=$1 ;;
    esac
    shift
  done
  [[ ${#settings[@]} == 0 || $action == deploy ]] || die "settings are saved by a deploy; --$action takes none"

  if [[ -n $local_dir ]]; then
    [[ -z $target ]] || die "give either --local DIR or user@host[:dir], not both"
    SSH_HOST=''
    [[ $local_dir == /* ]] || local_dir=$PWD/$local_dir
    DIR=$local_dir
  else
    [[ -n $target ]] || { usage >&2 && exit 2; }
    SSH_HOST=${target%%:*}
    DIR=${target#"$SSH_HOST"}
    DIR=${DIR#:}
    [[ -n $DIR ]] || DIR=moviedash
  fi
  SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/$(basename "${BASH_SOURCE[0]}")
  PROJECT=$(dirname "$SELF")

  ship_script
  case $action in
    deploy) deploy "$run_tests" "$allow_root" "${settings[@]}" ;;
    logs) run_target_side logs "$DIR" $follow ;;
    backup) backup "$backup_dir" ;;
    *) run_target_side "$action" "$DIR" $allow_root ;;
  esac
}

# Runs a bash command line on the target: here for --local, over ssh otherwise.
on_target() {
  if [[ -n $SSH_HOST ]]; then
    # shellcheck disable=SC2029 # expanded here on purpose: the quoted command line is what ssh sends
    ssh "$SSH_HOST" "bash -c $(quote "$1")"
  else
    bash -c "$1"
  fi
}

ship_script() {
  local tmp="$DIR/.deploy.sh.$$"
  on_target "mkdir -p $(quote "$DIR") && cat > $(quote "$tmp") && chmod +x $(quote "$tmp") && mv -f $(quote "$tmp") $(quote "$DIR/deploy.sh")" <"$SELF"
}

run_target_side() {
  local command arg
  command="bash $(quote "$DIR/deploy.sh") --target-side"
  for arg in "$@"; do command+=" $(quote "$arg")"; done
  on_target "$command"
}

deploy() {
  local run_tests=$1 allow_root=$2
  shift 2
  cd "$PROJECT"
  if ((run_tests)); then
    say "testing (npm test)"
    npm test
  fi

  local stage incoming="incoming.$$.$RANDOM"
  stage=$(mktemp -d "${TMPDIR:-/tmp}/moviedash-release.XXXXXX")
  # shellcheck disable=SC2064 # expand $stage now: it is local to this function
  trap "rm -rf $(quote "$stage")" EXIT
  # The release is compiled into the stage, never into the project's dist/: a server started from dist/ (a
  # developer's, or the test suite's) must not see its files removed and rewritten under it.
  say "building (tsc and the statics, into the release)"
  node_modules/.bin/tsc -p tsconfig.json --outDir "$stage/dist"
  node scripts/copy-statics.mjs "$stage/dist"
  cp package.json package-lock.json "$stage/"
  say "shipping the release to ${SSH_HOST:+$SSH_HOST:}$DIR"
  tar -C "$stage" -czf - . | on_target "mkdir -p $(quote "$DIR/$incoming") && tar -xzf - -C $(quote "$DIR/$incoming")"

  local args=(deploy "$DIR" "$incoming" $allow_root)
  # Same machine, same Node: see install_dependencies.
  if [[ -z $SSH_HOST ]]; then args+=(--seed-from "$PROJECT"); fi
  # Only the settings given on the command line: an exported PORT of another project must not move the server.
  run_target_side "${args[@]}" "$@"
}

# Takes the backup on the target, then copies it here into DIR (the last line the target prints names it).
backup() {
  local dir=$1 output file copy
  output=$(run_target_side backup "$DIR") || die "the backup failed${output:+: $output}"
  grep -v '^backup-file: ' <<<"$output" || true
  file=$(sed -n 's/^backup-file: //p' <<<"$output")
  mkdir -p "$dir"
  copy=$dir/$(basename "$file")
  (umask 077 && on_target "cat $(quote "$file")" >"$copy.part") && mv -f "$copy.part" "$copy" ||
    { rm -f "$copy.part" && die "copying $file failed"; }
  say "copied to $copy"
}

# ---------------------------------------------------------------------------------------------------------
# Target side: runs on the VPS (or in the --local directory), as `deploy.sh --target-side ACTION DIR ...`.

target_side() {
  (($# >= 2)) || die "--target-side needs ACTION DIR"
  # The database, the log, shared/env (S3 keys) and backups: for the server's user only.
  umask 077
  local action=$1 arg
  mkdir -p "$2"
  DIR=$(cd "$2" && pwd -P)
  shift 2
  RELEASES=$DIR/releases
  SHARED=$DIR/shared
  PID_FILE=$SHARED/moviedash.pid
  LOG=$SHARED/moviedash.log
  ENV_FILE=$SHARED/env
  mkdir -p "$RELEASES" "$SHARED"
  touch "$LOG" "$ENV_FILE"
  ALLOW_ROOT=''
  local rest=()
  for arg in "$@"; do
    if [[ $arg == --allow-root ]]; then ALLOW_ROOT=1; else rest+=("$arg"); fi
  done
  set -- "${rest[@]}"
  case $action in deploy | rollback | restart) refuse_root ;; esac
  case $action in
    deploy) lock && target_deploy "$@" ;;
    rollback) lock && target_rollback ;;
    stop) lock && target_stop ;;
    restart) lock && target_restart ;;
    status) target_status ;;
    logs) target_logs "$@" ;;
    backup) target_backup ;;
    *) die "unknown target-side action $action" ;;
  esac
}

# A server running as root turns any hole in it into the whole machine.
refuse_root() {
  [[ $(id -u) != 0 || -n $ALLOW_ROOT ]] ||
    die "refusing to run the server as root on $(hostname): deploy as an ordinary user, or pass --allow-root"
}

# One deploy, rollback or stop at a time on a target.
lock() {
  command -v flock >/dev/null || return 0
  exec 9>"$SHARED/deploy.lock"
  flock -n 9 || die "another deploy.sh is working on $DIR"
}

target_deploy() {
  local incoming=$1 seed='' arg
  shift
  # Until it becomes a release, the shipped directory is litter if anything below fails.
  # shellcheck disable=SC2064 # expand now: $incoming is local
  trap "rm -rf $(quote "$DIR/$incoming")" EXIT
  command -v node >/dev/null || die "node is not on the PATH of $(hostname) (a non-interactive ssh session does not read .bashrc)"
  node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > 20 || (major === 20 && minor >= 12) ? 0 : 1)' ||
    die "moviedash needs Node 20.12 or later, $(hostname) has $(node --version)"

  local -A settings=()
  local given=()
  read_env settings "$ENV_FILE"
  while (($# > 0)); do
    arg=$1
    shift
    if [[ $arg == --seed-from ]]; then seed=$1 && shift && continue; fi
    is_setting "${arg%%=*}" || die "not a setting: ${arg%%=*}"
    settings[${arg%%=*}]=${arg#*=}
    given+=("${arg%%=*}")
  done
  : "${settings[DATA_DIR]:=$SHARED/data}" "${settings[VIDEO_DIR]:=$SHARED/videos}"
  [[ ${settings[DATA_DIR]} == /* && ${settings[VIDEO_DIR]} == /* ]] ||
    die "DATA_DIR and VIDEO_DIR must be absolute paths on the target, or they would live inside a release"
  [[ ${settings[PORT]:-8080} != 0 && ${settings[OPERATOR_PORT]:-9001} != 0 ]] ||
    die "PORT=0 and OPERATOR_PORT=0 pick a random port: choose ports"
  write_env settings "$SHARED/env.next"

  local release previous
  release=$(new_release_name)
  previous=$(current_release)
  mv "$DIR/$incoming" "$RELEASES/$release"
  if ! install_dependencies "$RELEASES/$release" "$previous" "$seed"; then
    rm -rf "${RELEASES:?}/$release" "$SHARED/env.next"
    die "installing the dependencies of $release failed; ${previous:-nothing} is still serving"
  fi

  if switch_to "$release" "$SHARED/env.next"; then
    mv -f "$SHARED/env.next" "$ENV_FILE"
    prune_releases
    if ((${#given[@]} > 0)); then say "saved to shared/env: ${given[*]}"; else say "no settings given: shared/env kept as it was"; fi
    say "deployed $release"
    return 0
  fi
  rm -f "$SHARED/env.next"
  if [[ -n $previous ]]; then
    say "rolling back to $previous"
    switch_to "$previous" "$ENV_FILE" || say "error: $previous did not come up either; see $LOG" >&2
  fi
  rm -rf "${RELEASES:?}/$release"
  die "release $release failed its health check${previous:+, rolled back to $previous}"
}

target_rollback() {
  local current previous
  current=$(current_release)
  [[ -n $current ]] || die "nothing is deployed in $DIR"
  previous=$(find "$RELEASES" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort | awk -v c="$current" '$0 < c' | tail -n 1)
  [[ -n $previous ]] || die "no release older than $current in $RELEASES"
  switch_to "$previous" "$ENV_FILE" && say "rolled back from $current to $previous" && return 0
  say "error: $previous did not come up; starting $current again" >&2
  switch_to "$current" "$ENV_FILE" || true
  exit 1
}

target_stop() {
  running_pid >/dev/null || say "not running"
  stop_server "$ENV_FILE"
}

target_restart() {
  local current
  current=$(current_release)
  [[ -n $current ]] || die "nothing is deployed in $DIR"
  switch_to "$current" "$ENV_FILE" || die "$current did not come up"
}

target_status() {
  local -A settings=()
  read_env settings "$ENV_FILE"
  local release pid health=''
  release=$(current_release)
  pid=$(running_pid) || {
    say "not running (release ${release:-none})"
    exit 3
  }
  curl -fsS -o /dev/null --max-time 2 "$(health_url settings)" 2>/dev/null && health=healthy || health='not answering /healthz'
  say "running: pid $pid, release $release, $(health_url settings) $health"
  local key
  # A secret is shown as set, never printed.
  for key in "${!settings[@]}"; do
    if [[ $key == *SECRET* ]]; then printf '  %s=(set)\n' "$key"; else printf '  %s=%s\n' "$key" "${settings[$key]}"; fi
  done | sort
}

# An online backup of the live database into shared/backups (the server keeps serving), then its path.
target_backup() {
  local current file name
  current=$(current_release)
  [[ -n $current ]] || die "nothing is deployed in $DIR"
  local -A settings=()
  read_env settings "$ENV_FILE"
  local vars=() key
  for key in "${!settings[@]}"; do vars+=("$key=${settings[$key]}"); done
  mkdir -p "$SHARED/backups"
  file=$SHARED/backups/moviedash-$(date -u +%Y%m%dT%H%M%SZ).db
  (cd "$RELEASES/$current" && env -i PATH="$PATH" HOME="$HOME" "${vars[@]}" node dist/main.js backup "$file") ||
    die "the backup failed"
  find "$SHARED/backups" -maxdepth 1 -name 'moviedash-*.db' -printf '%f\n' | sort -r | tail -n "+$((KEEP_BACKUPS + 1))" |
    while IFS= read -r name; do rm -f "$SHARED/backups/$name"; done
  echo "backup-file: $file"
}

target_logs() {
  if [[ ${1:-} == --follow ]]; then exec tail -n 200 -F "$LOG"; fi
  tail -n 200 "$LOG"
}

# Stops what runs, starts RELEASE with the settings of ENV_FILE and waits for it to answer /healthz.
# On failure the new process is stopped and its part of the log shown; returns 1. (Callers test it
# with `if`, which turns off set -e in here: each step that can fail says so itself.)
switch_to() {
  local release=$1 env_file=$2
  stop_server "$ENV_FILE" || return 1
  ln -sfn "releases/$release" "$DIR/current.new" && mv -Tf "$DIR/current.new" "$DIR/current" || return 1

  local -A settings=()
  read_env settings "$env_file"
  local vars=() key log_from pid
  for key in "${!settings[@]}"; do vars+=("$key=${settings[$key]}"); done
  mkdir -p "${settings[DATA_DIR]}" "${settings[VIDEO_DIR]}" || return 1
  log_from=$(($(wc -c <"$LOG") + 1))
  say "starting $release"
  # A clean environment: the server sees the saved settings and nothing the deploying shell happened to export.
  (cd "$RELEASES/$release" &&
    exec env -i PATH="$PATH" HOME="$HOME" ${TZ:+TZ="$TZ"} ${LANG:+LANG="$LANG"} "${vars[@]}" \
      nohup node dist/main.js </dev/null >>"$LOG" 2>&1 9>&-) &
  pid=$!
  echo "$pid" >"$PID_FILE"

  if wait_healthy "$pid" "$(health_url settings)" "$log_from"; then
    say "$release is up: pid $pid, $(health_url settings)"
    return 0
  fi
  say "error: $release did not come up; its log:" >&2
  tail -c "+$log_from" "$LOG" | tail -n 20 | sed 's/^/  | /' >&2
  stop_server "$env_file"
  return 1
}

# Healthy: our process is alive, has logged that it listens (so it is not another server on the
# port answering) and GET /healthz answers 200.
wait_healthy() {
  local pid=$1 url=$2 log_from=$3
  local deadline=$((SECONDS + HEALTH_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    is_alive "$pid" || return 1
    if grep -q 'listening on' < <(tail -c "+$log_from" "$LOG") &&
      curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# SIGTERM, wait the server's grace period (SHUTDOWN_GRACE_S of ENV_FILE) and a margin, then SIGKILL.
stop_server() {
  local pid
  pid=$(running_pid) || {
    rm -f "$PID_FILE"
    return 0
  }
  local -A settings=()
  read_env settings "$1"
  local grace=${settings[SHUTDOWN_GRACE_S]:-10}
  local deadline=$((SECONDS + ${grace%.*} + 1 + STOP_MARGIN_S))
  say "stopping pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  while is_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if is_alive "$pid"; then
    say "pid $pid still running after ${grace}s + ${STOP_MARGIN_S}s: SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while is_alive "$pid"; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  say "stopped"
}

# The pid of the pid file when that process is alive and is a moviedash of this DIR (a stale pid file
# may name a pid the system has since given to something else).
running_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid
  pid=$(<"$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] && is_alive "$pid" || return 1
  if [[ -e /proc/$pid/cwd ]]; then
    [[ $(readlink "/proc/$pid/cwd") == "$RELEASES/"* ]] || return 1
  else
    [[ $(ps -o command= -p "$pid") == *dist/main.js* ]] || return 1
  fi
  echo "$pid"
}

# Alive and not a zombie: an orphaned server that exited stays a zombie when init does not reap it.
is_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [[ -r /proc/$1/stat ]] || return 0
  local stat
  stat=$(<"/proc/$1/stat")
  stat=${stat##*) }
  [[ ${stat:0:1} != [ZX] ]]
}

# Called with `if !`, so set -e is off in here: every step is chained.
install_dependencies() {
  local release=$1 previous=$2 seed=$3
  if [[ -n $previous && -d $RELEASES/$previous/node_modules ]] &&
    cmp -s "$RELEASES/$previous/package-lock.json" "$release/package-lock.json"; then
    say "dependencies: package-lock.json unchanged, linking the node_modules of $previous"
    # Hard links: instant, and no release ever writes into its node_modules after this.
    cp -al "$RELEASES/$previous/node_modules" "$release/node_modules" 2>/dev/null ||
      { rm -rf "$release/node_modules" && cp -a "$RELEASES/$previous/node_modules" "$release/node_modules"; }
  elif [[ -n $seed ]]; then
    # --local only (same machine, same Node): `npm ci --omit=dev` compiles better-sqlite3 from source
    # when no prebuilt binary can be downloaded, which took 49 s on 2 cores; copying the project's own
    # node_modules (better-sqlite3 already built for this Node) and pruning the dev packages takes ~1 s.
    say "dependencies: copying $seed/node_modules and pruning the dev dependencies"
    mkdir "$release/node_modules" && cp -a "$seed/node_modules/." "$release/node_modules/" &&
      (cd "$release" && npm prune --omit=dev --no-audit --no-fund)
  else
    say "dependencies: npm ci --omit=dev"
    (cd "$release" && npm ci --omit=dev --no-audit --no-fund)
  fi
}

new_release_name() {
  local name
  name=$(date -u +%Y%m%dT%H%M%SZ)
  while [[ -e $RELEASES/$name ]]; do
    sleep 1
    name=$(date -u +%Y%m%dT%H%M%SZ)
  done
  echo "$name"
}

current_release() {
  [[ -L $DIR/current ]] || return 0
  basename "$(readlink "$DIR/current")"
}

# Keeps the newest KEEP_RELEASES, and the current one whatever its age (after a rollback it is older).
prune_releases() {
  local current name
  current=$(current_release)
  find "$RELEASES" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -r | tail -n "+$((KEEP_RELEASES + 1))" |
    while IFS= read -r name; do
      [[ $name == "$current" ]] || rm -rf "${RELEASES:?}/$name"
    done
}

# Reads FILE's NAME=value lines into the associative array named by the first argument. The file is
# data, never sourced: a value is taken as written, whatever characters it holds.
read_env() {
  local -n into=$1
  local line
  while IFS= read -r line || [[ -n $line ]]; do
    # shellcheck disable=SC2034 # into is a nameref: this fills the caller's array
    if [[ $line == *=* ]] && is_setting "${line%%=*}"; then into[${line%%=*}]=${line#*=}; fi
  done <"$2"
}

write_env() {
  local -n from=$1
  local key
  for key in "${!from[@]}"; do
    [[ ${from[$key]} != *$'\n'* ]] || die "$key must not contain a line break"
    printf '%s=%s\n' "$key" "${from[$key]}"
  done | sort >"$2"
}

# The operator listener's copy of /healthz: always on 127.0.0.1, whatever HOST is.
health_url() {
  local -n of=$1
  echo "http://127.0.0.1:${of[OPERATOR_PORT]:-9001}/healthz"
}

main "$@"
