#!/usr/bin/env bash
# A throw-away single-node Ceph cluster with an S3 gateway (radosgw), for tests and the bench.
#
#   test/s3/radosgw.sh start        starts one, prints KEY=value lines (RADOSGW_DIR, S3_ENDPOINT, S3_BUCKET, keys)
#   test/s3/radosgw.sh stop DIR     stops the cluster whose RADOSGW_DIR is DIR and removes DIR
#
# One ceph-mon, one ceph-osd on memstore (objects live in RAM: keep them small, or raise RADOSGW_MEMSTORE_MB),
# no cephx, pools of size 1, radosgw on 127.0.0.1. Everything lives in a fresh temporary directory and every port
# is a free one, so several clusters can run at once. Needs: radosgw ceph-mon ceph-osd (Debian 12), curl, node.
set -euo pipefail

readonly ACCESS_KEY=MOVIEDASHTESTKEY0001
readonly SECRET_KEY=moviedash-test-secret-key-0000000000000001
readonly BUCKET=moviedash-test
readonly START_TIMEOUT_S=${RADOSGW_START_TIMEOUT_S:-90}

die() {
  echo "radosgw.sh: $*" >&2
  # The directory goes with the failed cluster: show the end of its logs first.
  if [[ -n ${dir:-} ]]; then tail -n 20 "$dir"/log/*.log >&2 2>/dev/null || true; fi
  exit 1
}

free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# Polls "$@" every 0.2 s until it succeeds, or dies after START_TIMEOUT_S naming what it waited for.
wait_for() {
  local what=$1
  shift
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out waiting for $what"
    sleep 0.2
  done
}

# SIGKILL, not SIGTERM: the data is thrown away anyway, and on SIGTERM memstore first writes all of it to disk.
stop_cluster() {
  local dir=$1 pid pids=()
  for file in "$dir"/run/*.pid; do
    [[ -e $file ]] || continue
    pid=$(<"$file")
    # Only a process that is still one of this cluster's daemons (pid files outlive them).
    if [[ -n $pid ]] && grep -qF -- "$dir/ceph.conf" "/proc/$pid/cmdline" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null && pids+=("$pid")
    fi
  done
  # Gone once /proc has no such process or only a zombie (whoever adopted the daemon may never reap it).
  local deadline=$((SECONDS + 10))
  for pid in "${pids[@]}"; do
    while [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z) != Z ]] && ((SECONDS < deadline)); do
      sleep 0.05
    done
  done
}

start() {
  command -v ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph curl node >/dev/null ||
    die "needs ceph-mon ceph-osd radosgw radosgw-admin (apt-get install radosgw ceph-mon ceph-osd), curl and node"
  dir=$(mktemp -d "${TMPDIR:-/tmp}/radosgw.XXXXXX")
  # A failed start leaves nothing running and nothing on disk.
  trap 'stop_cluster "$dir"; rm -rf "$dir"' EXIT
  mkdir -p "$dir"/{mon,osd,run,log}
  local mon_port rgw_port fsid osd_uuid
  mon_port=$(free_port)
  rgw_port=$(free_port)
  fsid=$(</proc/sys/kernel/random/uuid)
  osd_uuid=$(</proc/sys/kernel/random/uuid)

  cat >"$dir/ceph.conf" <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
ms bind msgr1 = false
auth cluster required = none
auth service required = none
auth client required = none
keyring = $dir/keyring
run dir = $dir/run
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
log file = $dir/log/\$name.log
log to stderr = false
err to stderr = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 1
osd pool default pgp num = 1
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
# The monitor refuses to run below mon_data_avail_crit percent free disk (5 by default): a busy CI disk is fine.
mon data avail warn = 1
mon data avail crit = 0

[mon]
mon data = $dir/mon
mon initial members = a
# Each pool radosgw creates is an osdmap change, proposed once a second by default: ~10 s of waiting at start.
paxos propose interval = 0.01
paxos min wait = 0.01

[osd]
osd data = $dir/osd
osd objectstore = memstore
memstore device bytes = $((${RADOSGW_MEMSTORE_MB:-1024} * 1024 * 1024))

[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $dir/rgw
# Without this radosgw loops on "get_initial_auth_request returned -13" against a monitor without cephx.
ms mon client mode = crc secure
EOF
  # The daemons get -c on their command line: stop_cluster recognises them by it.
  local conf=$dir/ceph.conf
  export CEPH_CONF=$conf

  ceph-authtool --create-keyring "$dir/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
  ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/keyring"
  ceph-mon -c "$conf" -i a
  wait_for "ceph-mon" ceph --connect-timeout 2 mon stat

  ceph osd new "$osd_uuid" >/dev/null
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >/dev/null 2>&1
  ceph-osd -c "$conf" -i 0
  wait_for "ceph-osd" bash -c 'ceph osd dump --format json | grep -q "\"up\":1"'

  radosgw -c "$conf" -n client.rgw
  wait_for "radosgw" curl -sf "http://127.0.0.1:$rgw_port/"
  radosgw-admin -n client.rgw --admin-socket= --log-file="$dir/log/radosgw-admin.log" user create --uid=moviedash --display-name=moviedash \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
  # curl 7.88 signs but does not send the payload hash S3 requires: send it (the empty body's SHA-256).
  curl -sSf -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "http://127.0.0.1:$rgw_port/$BUCKET" >/dev/null || die "could not create bucket $BUCKET"
  trap - EXIT

  echo "RADOSGW_DIR=$dir"
  echo "S3_ENDPOINT=http://127.0.0.1:$rgw_port"
  echo "S3_REGION=us-east-1"
  echo "S3_BUCKET=$BUCKET"
  echo "S3_ACCESS_KEY_ID=$ACCESS_KEY"
  echo "S3_SECRET_ACCESS_KEY=$SECRET_KEY"
  echo "S3_FORCE_PATH_STYLE=true"
}

case ${1:-} in
  start) start ;;
  stop)
    [[ -n ${2:-} && -f $2/ceph.conf ]] || die "usage: $0 stop RADOSGW_DIR (the directory start printed)"
    stop_cluster "$2"
    rm -rf "$2"
    ;;
  *) die "usage: $0 start | $0 stop RADOSGW_DIR" ;;
esac
