# shellcheck shell=bash
# Totals from VSTest .trx files, in pure bash and awk (no python on a fresh machine). Source it, or run it:
#
#   bash scripts/lib/trx-summary.sh FILE.trx...     prints per-file counts, then "N passed, N failed, N skipped"
#
# Sourced, it offers:
#   trx_counts FILE                  "passed failed skipped outcome" of one trx
#   trx_add_project NAME EXIT TRX... adds one test project's trx files (none when it wrote none) and its
#                                    `dotnet test` exit code to the totals, and prints a line about it
#   trx_summary_line                 "N passed, N failed, N skipped"
#
# How the counts are read from <Counters total= executed= passed= failed= ... notExecuted= ...>:
#   skipped = max(notExecuted, total - executed): VSTest's trx logger leaves notExecuted at 0 for xunit's
#             skipped tests and only leaves them out of "executed"; other writers use notExecuted.
#   failed  = total - passed - skipped: failed, error, timeout, aborted, inconclusive... anything that did
#             not pass and was not skipped counts as a failure, so nothing can slip through unnoticed.

TRX_PASSED=0
TRX_FAILED=0
TRX_SKIPPED=0

trx_counts() {
    # RS="<": one record per XML tag, whatever the line breaks inside it.
    awk 'BEGIN { RS = "<" }
        function attr(tag, name,   s) {
            if (!match(tag, "[ \t\r\n]" name "=\"[^\"]*\"")) return ""
            s = substr(tag, RSTART, RLENGTH)
            sub(/^[ \t\r\n]+[A-Za-z]+="/, "", s)
            sub(/"$/, "", s)
            return s
        }
        /^ResultSummary[ \t\r\n>\/]/ { outcome = attr($0, "outcome") }
        /^Counters[ \t\r\n\/]/ {
            found = 1
            total = attr($0, "total") + 0; executed = attr($0, "executed") + 0
            passed = attr($0, "passed") + 0; failed = attr($0, "failed") + 0
            not_executed = attr($0, "notExecuted") + 0
        }
        END {
            if (!found) { print "0 0 0 NoCounters"; exit }
            skipped = total - executed
            if (not_executed > skipped) skipped = not_executed
            if (skipped < 0) skipped = 0
            rest = total - passed - skipped
            if (rest > failed) failed = rest
            print passed, failed, skipped, (outcome == "" ? "Unknown" : outcome)
        }' "$1"
}

trx_add_project() {
    local name=$1 exit_code=$2
    shift 2
    if (($# == 0)); then
        # The test host crashed (or never started) before the logger wrote anything.
        echo "$name: FAILED, no trx written (dotnet test exited $exit_code); counted as 1 failed"
        TRX_FAILED=$((TRX_FAILED + 1))
        return
    fi
    local file passed failed skipped outcome p=0 f=0 s=0 outcomes=()
    for file in "$@"; do
        read -r passed failed skipped outcome < <(trx_counts "$file")
        p=$((p + passed)) f=$((f + failed)) s=$((s + skipped))
        outcomes+=("$outcome")
    done
    local note=""
    if ((f == 0)) && { ((exit_code != 0)) || [[ " ${outcomes[*]} " =~ \ (Failed|Error|Aborted|Timeout|NoCounters)\  ]]; }; then
        # A crash mid-run leaves a trx without failures (the crashing test has no result) but a failed run.
        f=1
        note=" (run outcome ${outcomes[*]}"
        ((exit_code == 0)) || note+=", dotnet test exited $exit_code"
        note+=", but no failed test in the trx: test host crashed? counted as 1 failed)"
    fi
    echo "$name: $p passed, $f failed, $s skipped$note"
    TRX_PASSED=$((TRX_PASSED + p))
    TRX_FAILED=$((TRX_FAILED + f))
    TRX_SKIPPED=$((TRX_SKIPPED + s))
}

trx_summary_line() {
    echo "$TRX_PASSED passed, $TRX_FAILED failed, $TRX_SKIPPED skipped"
}

# Run directly: summarize the given files (exit code unknown, taken as 0), one "project" per file.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    set -euo pipefail
    if (($# == 0)); then
        echo "usage: bash scripts/lib/trx-summary.sh FILE.trx..." >&2
        exit 2
    fi
    for trx in "$@"; do
        trx_add_project "$trx" 0 "$trx"
    done
    trx_summary_line
    ((TRX_FAILED == 0))
fi
