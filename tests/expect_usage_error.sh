#!/usr/bin/env bash
# expect_usage_error.sh PARBENCH ARGS...: the command must exit with 2, print exactly one line on
# stderr, and write no CSV or JSON file (any --csv/--json path given must not exist afterwards).
set -u
parbench=$1
shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
args=()
for a in "$@"; do args+=("${a//@TMP@/$dir}"); done
"$parbench" "${args[@]}" >"$dir/stdout" 2>"$dir/stderr"
rc=$?
lines=$(wc -l <"$dir/stderr")
fail() { echo "FAIL: $*"; echo "--- stderr:"; cat "$dir/stderr"; echo "--- stdout:"; cat "$dir/stdout"; exit 1; }
[[ $rc -eq 2 ]] || fail "exit code $rc, expected 2"
[[ $lines -eq 1 ]] || fail "$lines lines on stderr, expected 1"
[[ -s "$dir/stdout" ]] && fail "something was written to stdout"
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --csv|--json) [[ -e "${args[$((i + 1))]}" ]] && fail "${args[$((i + 1))]} was created" ;;
  esac
done
echo "ok: $(cat "$dir/stderr")"
