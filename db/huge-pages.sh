#!/usr/bin/env bash
# Huge pages for the local cluster's shared memory (shared_buffers): status, reserve, release.
#   db/huge-pages.sh status    whether the running cluster uses them, how many it needs, how many are reserved
#   db/huge-pages.sh reserve   reserves what the running cluster needs (vm.nr_hugepages; root or sudo), then restarts
#                              the cluster so that it takes them (connections drop; services reconnect)
#   db/huge-pages.sh release   returns the reserved pages to the kernel (vm.nr_hugepages 0) and restarts the cluster
# The reservation lasts until reboot; to keep it, put vm.nr_hugepages in /etc/sysctl.d/ (db/README.md).
# Reserved huge pages are memory no other process can use: the size of shared_buffers (a quarter of the machine).
set -euo pipefail
# shellcheck source=db/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

restart() {
  say "restarting the cluster so that $1"
  "$SIGHTLINE_ROOT/db/stop.sh" >&2
  "$SIGHTLINE_ROOT/db/start.sh" >/dev/null
}

set_reserved() {
  as_root sh -c "echo $1 > /proc/sys/vm/nr_hugepages" \
    || die "could not write vm.nr_hugepages (a container without the right to? run as root on the host: sysctl -w vm.nr_hugepages=$1)"
  cat /proc/sys/vm/nr_hugepages
}

running() {
  local rc=0
  pg_status_code || rc=$?
  [[ $rc -eq 0 ]]
}

case "${1:-status}" in
  status)
    running || die "the cluster is not running: db/start.sh (PostgreSQL computes how many huge pages it needs)"
    pg_huge_pages_line
    ;;
  reserve)
    running || die "the cluster is not running: db/start.sh first (PostgreSQL computes how many huge pages it needs)"
    if pg_uses_huge_pages; then
      pg_huge_pages_line
      exit 0
    fi
    needed="$(pg_huge_pages_needed)"
    [[ $needed =~ ^[0-9]+$ && $needed -gt 0 ]] || die "PostgreSQL did not say how many huge pages it needs ('$needed')"
    have="$(cat /proc/sys/vm/nr_hugepages)"
    want=$((have > needed ? have : needed))
    say "reserving $want huge pages (the cluster needs $needed; vm.nr_hugepages was $have)"
    got="$(set_reserved "$want")"
    [[ $got -ge $needed ]] || {
      set_reserved "$have" >/dev/null
      die "the kernel reserved only $got of $needed huge pages (memory too fragmented); put vm.nr_hugepages=$needed in /etc/sysctl.d/ and reboot, or free memory and try again"
    }
    restart "it takes them"
    pg_huge_pages_line
    pg_uses_huge_pages || die "the cluster did not take the huge pages (see ${SIGHTLINE_PG_LOG#"$SIGHTLINE_ROOT"/})"
    ;;
  release)
    say "releasing huge pages (vm.nr_hugepages $(cat /proc/sys/vm/nr_hugepages) -> 0)"
    set_reserved 0 >/dev/null
    if running && pg_uses_huge_pages; then
      restart "it gives them back"
    fi
    say "vm.nr_hugepages is now $(cat /proc/sys/vm/nr_hugepages)"
    ;;
  *)
    die "usage: db/huge-pages.sh status|reserve|release"
    ;;
esac
