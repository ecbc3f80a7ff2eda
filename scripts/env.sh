# Environment every script and CI step shares (sourced, not run).
# Workers tooling must never reach the internet: see ../shared/design/TOOLCHAIN.md.
BERNSTEIN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
export WRANGLER_SEND_METRICS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false
export WRANGLER_HIDE_BANNER=true
export TURBO_TELEMETRY_DISABLED=1
export TURBO_NO_UPDATE_NOTIFIER=1
export DO_NOT_TRACK=1
export XDG_CONFIG_HOME="${XDG_CONFIG_HOME:-$BERNSTEIN_ROOT/.tools/config}"
export PATH="$BERNSTEIN_ROOT/.tools/node_modules/.bin:$BERNSTEIN_ROOT/node_modules/.bin:$PATH"
