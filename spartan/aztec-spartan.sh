#!/usr/bin/env bash
# aztec-spartan: sets up and runs an Aztec sequencer node with Docker Compose.
#
#   ./aztec-spartan.sh config   asks for the settings, writes .env (mode 600) and docker-compose.yml
#   ./aztec-spartan.sh start | stop | logs | update | status
#
# Needs bash and POSIX tools; `config` also uses openssl or /dev/urandom (for the P2P key) and checks for
# Docker and Docker Compose; `status` uses curl (and jq when present). Run it without a command for every option.
set -euo pipefail
umask 077

readonly VERSION="0.1.0"
readonly DEFAULT_IMAGE="aztec-sequencer-node:latest"
readonly DEFAULT_NETWORK="alpha-testnet"
readonly DEFAULT_PORT="8080"
readonly DEFAULT_ADMIN_PORT="8880"
readonly DEFAULT_P2P_PORT="40400"
readonly DEFAULT_VOLUME="aztec-data"
readonly DEFAULT_NETWORK_MODE="host"
readonly CONTAINER_DATA_DIR="/var/lib/aztec"
readonly SERVICE="aztec-node"
# With --monitoring: Prometheus and Grafana on this machine's loopback, beside the node.
readonly PROMETHEUS_LISTEN="127.0.0.1:9090"
readonly GRAFANA_PORT="3000"
readonly MONITORING_DIR="monitoring"
ENV_FILE="${AZTEC_SPARTAN_ENV_FILE:-.env}"
COMPOSE_FILE="${AZTEC_SPARTAN_COMPOSE_FILE:-docker-compose.yml}"
# The docker executable (a test can point it somewhere else to play a machine without Docker).
DOCKER="${AZTEC_SPARTAN_DOCKER:-docker}"
DOCKER_COMPOSE="${AZTEC_SPARTAN_DOCKER_COMPOSE:-docker-compose}"
# A URL that answers this machine's public IP (e.g. a what-is-my-IP service) for `config`'s default. Unset: no
# request leaves the machine and the default is a local address; behind NAT answer 'query' (P2P_QUERY_FOR_IP).
IP_LOOKUP_URL="${AZTEC_SPARTAN_IP_URL-}"

# The guide's tables: every one of these the operator set (in the environment) goes into .env.
readonly TABLE_VARS="ETHEREUM_HOSTS BOOTNODE_URL IMAGE L1_CHAIN_ID DATA_DIRECTORY ARCHIVER_POLLING_INTERVAL_MS
SEQ_PUBLISHER_PRIVATE_KEY SEQ_PUBLISH_RETRY_INTERVAL_MS SEQ_VIEM_POLLING_INTERVAL_TIME VALIDATOR_DISABLED
VALIDATOR_ATTESTATIONS_WAIT_TIMEOUT_MS VALIDATOR_ATTESTATIONS_POLLING_INTERVAL_MS GOVERNANCE_PROPOSER_PAYLOAD_ADDRESS
SEQ_ENFORCE_TIME_TABLE SEQ_MAX_TX_PER_BLOCK SEQ_MIN_TX_PER_BLOCK COINBASE FEE_RECIPIENT BOOTSTRAP_NODES P2P_IP
P2P_PORT P2P_LISTEN_ADDR P2P_LISTEN_ARR P2P_UDP_LISTEN_ADDR P2P_QUERY_FOR_IP P2P_ENABLED P2P_MAX_PEERS
P2P_BLOCK_CHECK_INTERVAL_MS PEER_ID_PRIVATE_KEY"
# What `config` itself writes (asked for or derived); everything else in an existing .env is kept as it is.
readonly MANAGED_VARS="IMAGE NETWORK ETHEREUM_HOSTS L1_CONSENSUS_HOST_URLS L1_CONSENSUS_HOST_API_KEYS
L1_CONSENSUS_HOST_API_KEY_HEADERS BOOTNODE_URL VALIDATOR_PRIVATE_KEY COINBASE FEE_RECIPIENT P2P_ENABLED P2P_IP
P2P_QUERY_FOR_IP P2P_PORT PEER_ID_PRIVATE_KEY AZTEC_PORT AZTEC_ADMIN_PORT DATA_DIRECTORY DATA_DIR DATA_VOLUME DOCKER_NETWORK_MODE
MONITORING GRAFANA_PASSWORD"

say() { printf '%s\n' "$*"; }
err() { printf 'aztec-spartan: %s\n' "$*" >&2; }
die() {
  err "$*"
  exit 1
}

usage() {
  cat <<EOF
aztec-spartan ${VERSION}: sets up and runs an Aztec sequencer node (Docker Compose).

Usage: ./aztec-spartan.sh <command> [options]
       npx aztec-spartan <command> [options]

Commands:
  config    Check for Docker and Docker Compose, ask for the node's settings (options skip questions),
            write .env (mode 600) and docker-compose.yml in the current directory.
  start     Start the node in the background (docker compose up -d).
  stop      Stop and remove the node's container (the data volume or directory is kept).
  logs      Follow the node's logs.
  update    Pull the image, then recreate the container so the new image runs.
  status    Print the node's L2 tips and peers (JSON-RPC on the node port in .env).
  help      Print this help.

Options of config (each skips its question; the variable in the environment or in an existing .env is the
question's default):
  -n,   --network <name>            Network preset (NETWORK) [${DEFAULT_NETWORK}]
  -e,   --ethereum-hosts <urls>     L1 execution RPC URLs, comma separated (ETHEREUM_HOSTS) [required]
  -c,   --consensus-urls <urls>     L1 beacon API URLs, comma separated (L1_CONSENSUS_HOST_URLS) [required]
  -ck,  --consensus-api-key <key>   Beacon API key(s) (L1_CONSENSUS_HOST_API_KEYS) [none]
  -ch,  --consensus-api-key-header <name>
                                    Header carrying the beacon API key (L1_CONSENSUS_HOST_API_KEY_HEADERS);
                                    none: the key is sent as ?key= [none]
  -ip,  --p2p-ip <ip|query>         Public IP announced to peers (P2P_IP); 'query' sets P2P_QUERY_FOR_IP=true
                                    instead (behind a NAT) [this machine's public IP, detected]
  -p2p, --p2p-port <port>           P2P port, TCP and UDP (P2P_PORT) [${DEFAULT_P2P_PORT}]
  -p,   --port <port>               Node JSON-RPC port (AZTEC_PORT) [${DEFAULT_PORT}]
  -ap,  --admin-port <port>         Admin JSON-RPC port, on loopback only (AZTEC_ADMIN_PORT) [${DEFAULT_ADMIN_PORT}]
                                    (not asked: give each node on one machine its own)
  -k,   --validator-key <key>       Validator private key, 32 bytes hex (VALIDATOR_PRIVATE_KEY) [required]
                                    (prefer the question or the environment: options show in 'ps')
  -pk,  --p2p-private-key <key>     P2P identity key, 32 bytes hex (PEER_ID_PRIVATE_KEY)
                                    [generated on the first run, then kept]
  -cb,  --coinbase <address>        L1 address receiving block rewards (COINBASE) [the validator's address]
  -fr,  --fee-recipient <address>   L2 address (32 bytes) receiving fees (FEE_RECIPIENT)
                                    [the validator's address on L2]
  -d,   --data-dir <path>           Keep the node's data in this local directory (DATA_DIR), mounted at
                                    ${CONTAINER_DATA_DIR}; the P2P key is kept in <path>/var/lib/aztec/p2p-private-key
        --volume <name>             Keep the node's data in this named Docker volume [${DEFAULT_VOLUME}] (default)
  -i,   --image <image>             The node's Docker image (IMAGE) [${DEFAULT_IMAGE}]
  -b,   --bootnode-url <url>        Bootnode supplying contract addresses and bootstrap ENRs (BOOTNODE_URL) [none]
        --network-mode <host|bridge>
                                    host: the container shares this machine's network and the node binds its
                                    ports here directly; bridge: Docker publishes the node port and the P2P
                                    port (TCP and UDP) from its bridge network (DOCKER_NETWORK_MODE) [${DEFAULT_NETWORK_MODE}]
        --monitoring                Also run Prometheus (${PROMETHEUS_LISTEN}) and Grafana (127.0.0.1:${GRAFANA_PORT}, user
                                    admin, password GRAFANA_PASSWORD in .env, generated) next to the node: writes
                                    ./${MONITORING_DIR}/ (scrape config, alert rules, dashboards) and adds both to
                                    docker-compose.yml (MONITORING=true in .env, kept by later runs)
        --no-monitoring             Take them out of docker-compose.yml again (./${MONITORING_DIR}/ stays)
        --overwrite                 Replace the values in an existing .env instead of keeping them
        --non-interactive           Ask nothing: use options, environment and .env; fail listing what is missing
  -y,   --yes                       Install Docker / Docker Compose without asking, when missing
  -h,   --help                      Print this help

Every other variable of the guide's tables (SEQ_MAX_TX_PER_BLOCK, P2P_MAX_PEERS, ...) that is set in the
environment when config runs goes into .env too; values edited in .env are kept by the next config.

Examples:
  ./aztec-spartan.sh config
  npx aztec-spartan config -p 8080 -p2p 40400
  ./aztec-spartan.sh config -pk <your_p2p_key>
  ./aztec-spartan.sh config --monitoring
  ./aztec-spartan.sh start && ./aztec-spartan.sh logs
EOF
}

# ---------------------------------------------------------------- validation

is_port() { [[ "$1" =~ ^[0-9]{1,5}$ ]] && ((10#$1 >= 1 && 10#$1 <= 65535)); }
is_url_list() {
  local IFS=',' u
  [[ -n "$1" && "$1" != *,, && "$1" != ,* && "$1" != *, ]] || return 1
  for u in $1; do [[ "$u" =~ ^https?://[^[:space:],\"\'\$\`\\#]+$ ]] || return 1; done
}
is_key() { [[ "$1" =~ ^(0x)?[0-9a-fA-F]{64}$ ]]; }
is_address() { [[ "$1" =~ ^0x[0-9a-fA-F]{40}$ ]]; }
is_l2_address() { [[ "$1" =~ ^0x[0-9a-fA-F]{64}$ ]]; }
is_ipv4() {
  local IFS='.' o
  [[ "$1" =~ ^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || return 1
  for o in $1; do ((10#$o <= 255)) || return 1; done
}
is_host() { is_ipv4 "$1" || [[ "$1" =~ ^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$ && ! "$1" =~ ^[0-9.]+$ ]]; }
is_p2p_ip() { [[ "$1" == "query" ]] || is_host "$1"; }
is_name() { [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]]; }
is_image() { [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9_./:@-]*$ ]]; }
is_token() { [[ "$1" =~ ^[A-Za-z0-9._~+/=:,-]+$ ]]; }
is_header() { [[ "$1" =~ ^[A-Za-z0-9-]+(,[A-Za-z0-9-]+)*$ ]]; }
is_path() { [[ -n "$1" && ! "$1" =~ [[:space:]\"\'\$\`\\#:] ]]; }
is_network_mode() { [[ "$1" == "host" || "$1" == "bridge" ]]; }
is_volume_or_dir() { [[ "$1" == "volume" || "$1" == "v" || "$1" == "dir" || "$1" == "d" ]]; }
optional() { [[ -z "$2" ]] || "$1" "$2"; }

# The option that supplies a variable, for the --non-interactive message.
option_of() {
  case "$1" in
    ETHEREUM_HOSTS) say "-e <urls>, or ETHEREUM_HOSTS" ;;
    L1_CONSENSUS_HOST_URLS) say "-c <urls>, or L1_CONSENSUS_HOST_URLS" ;;
    VALIDATOR_PRIVATE_KEY) say "-k <key>, or VALIDATOR_PRIVATE_KEY" ;;
    P2P_IP) say "-ip <ip|query>, or P2P_IP / P2P_QUERY_FOR_IP=true" ;;
    DATA_DIR) say "-d <path>, or DATA_DIR" ;;
    *) say "see './aztec-spartan.sh help'" ;;
  esac
}

# What a bad answer gets told.
hint_for() {
  case "$1" in
    is_port) say "a port number, 1 to 65535" ;;
    is_url_list) say "one or more http(s):// URLs, comma separated" ;;
    is_key) say "32 bytes as 64 hex characters, with or without 0x" ;;
    is_address) say "an L1 address: 0x and 40 hex characters" ;;
    is_l2_address) say "an L2 address: 0x and 64 hex characters" ;;
    is_p2p_ip) say "an IPv4 address or host name, or 'query' to have the node look it up" ;;
    is_name) say "a name of letters, digits, '-', '_' and '.'" ;;
    is_image) say "a Docker image reference, e.g. ${DEFAULT_IMAGE}" ;;
    is_token) say "letters, digits and . _ ~ + / = : , - only" ;;
    is_header) say "an HTTP header name, e.g. X-API-KEY" ;;
    is_path) say "a directory path without spaces, quotes, '\$', '#' or ':'" ;;
    is_volume_or_dir) say "'volume' or 'dir'" ;;
    *) say "a valid value" ;;
  esac
}

# ---------------------------------------------------------------- .env handling

# The value of KEY in the existing .env (the last assignment), empty when absent.
env_file_get() {
  [[ -f "$ENV_FILE" ]] || return 0
  sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1
}
env_file_has() { [[ -f "$ENV_FILE" ]] && grep -q "^$1=" "$ENV_FILE"; }
is_managed() { [[ " $(printf '%s' "$MANAGED_VARS" | tr '\n' ' ') " == *" $1 "* ]]; }

# ---------------------------------------------------------------- questions

INTERACTIVE=1
OVERWRITE=0
ASSUME_YES=0
MISSING=""

# ask VAR "question" validator default [secret] [required]
# Sets VAR from: its option (already in OPT_<VAR>), else asks (interactive) with the default, else the default.
ask() {
  local var="$1" question="$2" check="$3" default="$4" secret="${5:-}" required="${6:-}"
  local opt_var="OPT_${var}" answer shown
  if [[ -n "${!opt_var:-}" ]]; then
    answer="${!opt_var}"
    "$check" "$answer" || die "bad value for ${var}: expected $(hint_for "$check")"
    printf -v "$var" '%s' "$answer"
    return 0
  fi
  if [[ "$INTERACTIVE" == 0 ]]; then
    if [[ -z "$default" && -n "$required" ]]; then
      MISSING="${MISSING} ${var}"
      printf -v "$var" '%s' ""
      return 0
    fi
    optional "$check" "$default" || die "bad value for ${var} (from the environment or .env): expected $(hint_for "$check")"
    printf -v "$var" '%s' "$default"
    return 0
  fi
  shown="$default"
  [[ -n "$secret" && -n "$default" ]] && shown="keep the current one"
  while :; do
    # Hidden input: echo goes off before the prompt shows, so nothing typed after the prompt can be echoed.
    if [[ -n "$secret" && -t 0 ]]; then
      trap 'stty echo; printf "\\n"; exit 130' INT
      stty -echo
    fi
    if [[ -n "$shown" ]]; then printf '%s [%s]: ' "$question" "$shown"; else printf '%s: ' "$question"; fi
    if [[ -n "$secret" ]]; then
      if [[ -t 0 ]]; then
        IFS= read -r answer || {
          stty echo
          die "no answer for ${var} (end of input)"
        }
        stty echo
        trap - INT
        printf '\n'
      else
        IFS= read -r answer || die "no answer for ${var} (end of input)"
      fi
    else
      IFS= read -r answer || die "no answer for ${var} (end of input)"
    fi
    answer="${answer#"${answer%%[![:space:]]*}"}"
    answer="${answer%"${answer##*[![:space:]]}"}"
    [[ -z "$answer" ]] && answer="$default"
    if [[ -z "$answer" ]]; then
      if [[ -n "$required" ]]; then
        say "  A value is required: $(hint_for "$check")."
        continue
      fi
      break
    fi
    if "$check" "$answer"; then break; fi
    say "  Not valid: expected $(hint_for "$check"). Please try again."
  done
  printf -v "$var" '%s' "$answer"
}

# The first value that is set: an existing .env's (unless --overwrite), then the environment's, then the default.
prior() {
  local var="$1" default="${2:-}" v=""
  if [[ "$OVERWRITE" == 0 ]] && env_file_has "$var"; then
    v="$(env_file_get "$var")"
    printf '%s' "$v"
    return 0
  fi
  v="${!var:-}"
  printf '%s' "${v:-$default}"
}

detect_ip() {
  local ip=""
  if [[ -n "$IP_LOOKUP_URL" ]] && command -v curl >/dev/null 2>&1; then
    ip="$(curl -fsS --max-time 3 "$IP_LOOKUP_URL" 2>/dev/null || true)"
    is_ipv4 "$ip" || ip=""
  fi
  if [[ -z "$ip" ]] && command -v hostname >/dev/null 2>&1; then
    ip="$(hostname -I 2>/dev/null | awk '{print $1}' || true)"
    is_ipv4 "$ip" || ip=""
  fi
  if [[ -z "$ip" ]] && command -v ip >/dev/null 2>&1; then
    ip="$(ip -4 route get 1.1.1.1 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "src") print $(i + 1)}' | head -n 1 || true)"
    is_ipv4 "$ip" || ip=""
  fi
  printf '%s' "$ip"
}

random_key() {
  local k=""
  if command -v openssl >/dev/null 2>&1; then k="$(openssl rand -hex 32 2>/dev/null || true)"; fi
  if ! is_key "$k"; then k="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"; fi
  is_key "$k" || die "could not generate a P2P private key (needs openssl or /dev/urandom)"
  printf '%s' "$k"
}

# The L1 address of a private key, when a helper can compute it (the npm bin provides one); empty otherwise.
key_address() {
  local helper="${AZTEC_SPARTAN_ADDRESS_HELPER:-}"
  [[ -n "$helper" && -f "$helper" ]] && command -v node >/dev/null 2>&1 || return 0
  # The key goes through stdin, never the command line.
  printf '%s' "$1" | AZTEC_SPARTAN_MODE=key-address node "$helper" 2>/dev/null || true
}

# ---------------------------------------------------------------- Docker

compose_cmd() {
  if command -v "$DOCKER" >/dev/null 2>&1 && "$DOCKER" compose version >/dev/null 2>&1; then
    printf '%s' "$DOCKER compose"
  elif command -v "$DOCKER_COMPOSE" >/dev/null 2>&1; then
    printf '%s' "$DOCKER_COMPOSE"
  fi
}

confirm() {
  local answer
  [[ "$ASSUME_YES" == 1 ]] && return 0
  [[ "$INTERACTIVE" == 1 ]] || return 1
  printf '%s [y/N]: ' "$1"
  IFS= read -r answer || return 1
  [[ "$answer" =~ ^[Yy]([Ee][Ss])?$ ]]
}

install_docker() {
  local sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    $sudo apt-get update && $sudo apt-get install -y "$@"
  elif [[ " $* " == *" docker.io "* ]] && command -v curl >/dev/null 2>&1; then
    curl -fsSL https://get.docker.com | $sudo sh
  else
    return 1
  fi
}

check_docker() {
  local missing=() packages=()
  command -v "$DOCKER" >/dev/null 2>&1 || {
    missing+=("Docker")
    packages+=("docker.io")
  }
  if [[ -z "$(compose_cmd)" ]]; then
    missing+=("Docker Compose")
    packages+=("docker-compose")
  fi
  [[ ${#missing[@]} == 0 ]] && return 0
  say "Missing: ${missing[*]}."
  if confirm "Install ${missing[*]} now (apt-get install ${packages[*]}, or Docker's install script)?"; then
    if install_docker "${packages[@]}" && command -v "$DOCKER" >/dev/null 2>&1 && [[ -n "$(compose_cmd)" ]]; then
      say "Installed ${missing[*]}."
      return 0
    fi
    die "installing ${missing[*]} failed; install them by hand (see below) and run config again.
  Debian/Ubuntu: sudo apt-get install -y docker.io docker-compose
  Other systems: https://docs.docker.com/engine/install/ and https://docs.docker.com/compose/install/"
  fi
  die "${missing[*]} needed: the node runs in a Docker container started by Docker Compose. Install them, then run config again:
  Debian/Ubuntu: sudo apt-get install -y docker.io docker-compose
  Other systems: https://docs.docker.com/engine/install/ and https://docs.docker.com/compose/install/
  (or run config with --yes to let it install them)"
}

# Fails with what it needs unless Docker Compose and a running Docker engine are there.
need_engine() {
  local what="$1" compose info
  [[ -f "$COMPOSE_FILE" ]] || die "no ${COMPOSE_FILE} here: run './aztec-spartan.sh config' in this directory first."
  command -v "$DOCKER" >/dev/null 2>&1 || die "'${what}' needs Docker, which is not installed: run './aztec-spartan.sh config' (it offers to install it) or see https://docs.docker.com/engine/install/"
  compose="$(compose_cmd)"
  [[ -n "$compose" ]] || die "'${what}' needs Docker Compose ('docker compose' or 'docker-compose'), which is not installed: run './aztec-spartan.sh config' or 'sudo apt-get install docker-compose'."
  if ! info="$("$DOCKER" info 2>&1 >/dev/null)"; then
    die "'${what}' needs a running Docker engine, and none answers here (${info##*$'\n'}).
  Start it (e.g. 'sudo systemctl start docker'), or make sure your user may use it ('sudo usermod -aG docker \$USER', then log in again), and run '${what}' again.
  Without Docker the node can run directly: 'aztec start --node --archiver --sequencer' with the variables of ${ENV_FILE} in the environment."
  fi
  COMPOSE="$compose"
}

compose() {
  # shellcheck disable=SC2086 # COMPOSE is 'docker compose' or 'docker-compose'
  $COMPOSE -f "$COMPOSE_FILE" "$@"
}

# ---------------------------------------------------------------- config

# The OPT_* variables are read indirectly, by ask().
# shellcheck disable=SC2034
parse_config_options() {
  while [[ $# -gt 0 ]]; do
    local opt="$1"
    case "$opt" in
      --non-interactive) INTERACTIVE=0 ;;
      --overwrite) OVERWRITE=1 ;;
      --monitoring) OPT_MONITORING=true ;;
      --no-monitoring) OPT_MONITORING=false ;;
      -y | --yes) ASSUME_YES=1 ;;
      -h | --help)
        usage
        exit 0
        ;;
      -n | --network | -e | --ethereum-hosts | -c | --consensus-urls | -ck | --consensus-api-key | -ch | \
        --consensus-api-key-header | -ip | --p2p-ip | -p2p | --p2p-port | -p | --port | -ap | --admin-port | -k | --validator-key | \
        -pk | --p2p-private-key | -cb | --coinbase | -fr | --fee-recipient | -d | --data-dir | --volume | -i | \
        --image | -b | --bootnode-url | --network-mode)
        [[ $# -ge 2 && -n "$2" ]] || die "option ${opt} needs a value (see './aztec-spartan.sh help')"
        case "$opt" in
          -n | --network) OPT_NETWORK="$2" ;;
          -e | --ethereum-hosts) OPT_ETHEREUM_HOSTS="$2" ;;
          -c | --consensus-urls) OPT_L1_CONSENSUS_HOST_URLS="$2" ;;
          -ck | --consensus-api-key) OPT_L1_CONSENSUS_HOST_API_KEYS="$2" ;;
          -ch | --consensus-api-key-header) OPT_L1_CONSENSUS_HOST_API_KEY_HEADERS="$2" ;;
          -ip | --p2p-ip) OPT_P2P_IP="$2" ;;
          -p2p | --p2p-port) OPT_P2P_PORT="$2" ;;
          -p | --port) OPT_AZTEC_PORT="$2" ;;
          -ap | --admin-port) OPT_AZTEC_ADMIN_PORT="$2" ;;
          -k | --validator-key) OPT_VALIDATOR_PRIVATE_KEY="$2" ;;
          -pk | --p2p-private-key) OPT_PEER_ID_PRIVATE_KEY="$2" ;;
          -cb | --coinbase) OPT_COINBASE="$2" ;;
          -fr | --fee-recipient) OPT_FEE_RECIPIENT="$2" ;;
          -d | --data-dir)
            OPT_DATA_DIR="$2"
            OPT_STORAGE="dir"
            ;;
          --volume)
            OPT_DATA_VOLUME="$2"
            OPT_STORAGE="volume"
            ;;
          -i | --image) OPT_IMAGE="$2" ;;
          -b | --bootnode-url) OPT_BOOTNODE_URL="$2" ;;
          --network-mode) OPT_DOCKER_NETWORK_MODE="$2" ;;
        esac
        shift
        ;;
      *) die "unknown option for config: ${opt} (see './aztec-spartan.sh help')" ;;
    esac
    shift
  done
}

# Writes KEY=VALUE to the new .env when VALUE is set.
emit() { [[ -z "$2" ]] || printf '%s=%s\n' "$1" "$2" >>"$TMP_ENV"; }

cmd_config() {
  parse_config_options "$@"
  check_docker

  if [[ "$INTERACTIVE" == 1 ]]; then
    say "Configuring an Aztec sequencer node in $(pwd). Press Enter to take the default in [brackets]."
    [[ -f "$ENV_FILE" && "$OVERWRITE" == 0 ]] && say "Defaults come from the existing ${ENV_FILE}; its other values are kept."
  fi

  ask NETWORK "Network" is_name "$(prior NETWORK "$DEFAULT_NETWORK")"
  ask ETHEREUM_HOSTS "Ethereum L1 execution RPC URL(s), comma separated (ETHEREUM_HOSTS)" is_url_list \
    "$(prior ETHEREUM_HOSTS)" "" required
  ask L1_CONSENSUS_HOST_URLS "L1 beacon (consensus) API URL(s), comma separated" is_url_list \
    "$(prior L1_CONSENSUS_HOST_URLS)" "" required
  ask L1_CONSENSUS_HOST_API_KEYS "Beacon API key (Enter for none)" is_token "$(prior L1_CONSENSUS_HOST_API_KEYS)" secret
  if [[ -n "$L1_CONSENSUS_HOST_API_KEYS" ]]; then
    ask L1_CONSENSUS_HOST_API_KEY_HEADERS "Header carrying the beacon API key, e.g. X-API-KEY (Enter: sent as ?key=)" \
      is_header "$(prior L1_CONSENSUS_HOST_API_KEY_HEADERS)"
  else
    L1_CONSENSUS_HOST_API_KEY_HEADERS=""
  fi

  local ip_default
  ip_default="$(prior P2P_IP)"
  if [[ -z "${OPT_P2P_IP:-}" && -z "$ip_default" ]]; then
    if [[ "$(prior P2P_QUERY_FOR_IP)" == "true" ]]; then ip_default="query"; else ip_default="$(detect_ip)"; fi
  fi
  ask P2P_IP "Public IP address of this machine ('query': let the node find it, e.g. behind a NAT)" is_p2p_ip \
    "$ip_default" "" required
  P2P_QUERY_FOR_IP=""
  if [[ "$P2P_IP" == "query" ]]; then
    P2P_IP=""
    P2P_QUERY_FOR_IP="true"
  fi
  ask P2P_PORT "P2P port (TCP and UDP)" is_port "$(prior P2P_PORT "$DEFAULT_P2P_PORT")"
  ask AZTEC_PORT "Node port (JSON-RPC)" is_port "$(prior AZTEC_PORT "$DEFAULT_PORT")"
  [[ "$P2P_PORT" != "$AZTEC_PORT" ]] || die "the P2P port and the node port must differ (both ${AZTEC_PORT})"
  AZTEC_ADMIN_PORT="${OPT_AZTEC_ADMIN_PORT:-$(prior AZTEC_ADMIN_PORT "$DEFAULT_ADMIN_PORT")}"
  is_port "$AZTEC_ADMIN_PORT" || die "bad value for --admin-port (AZTEC_ADMIN_PORT): expected $(hint_for is_port)"
  [[ "$AZTEC_ADMIN_PORT" != "$AZTEC_PORT" && "$AZTEC_ADMIN_PORT" != "$P2P_PORT" ]] ||
    die "the admin port (--admin-port, ${AZTEC_ADMIN_PORT}) must differ from the node port and the P2P port"

  ask VALIDATOR_PRIVATE_KEY "Validator private key (input hidden)" is_key "$(prior VALIDATOR_PRIVATE_KEY)" \
    secret required
  [[ -z "$VALIDATOR_PRIVATE_KEY" || "$VALIDATOR_PRIVATE_KEY" == 0x* ]] || VALIDATOR_PRIVATE_KEY="0x${VALIDATOR_PRIVATE_KEY}"

  local coinbase_default address=""
  coinbase_default="$(prior COINBASE)"
  if [[ -z "$coinbase_default" && -n "$VALIDATOR_PRIVATE_KEY" ]]; then
    address="$(key_address "$VALIDATOR_PRIVATE_KEY")"
    is_address "$address" && coinbase_default="$address"
  fi
  if [[ -n "$coinbase_default" ]]; then
    ask COINBASE "COINBASE: L1 address receiving block rewards" is_address "$coinbase_default"
  else
    ask COINBASE "COINBASE: L1 address receiving block rewards (Enter: the validator key's address)" \
      is_address ""
  fi
  ask FEE_RECIPIENT "FEE_RECIPIENT: L2 address receiving fees (Enter: the validator's address on L2)" \
    is_l2_address "$(prior FEE_RECIPIENT)"

  # Storage: a named volume (default) or a local directory.
  local storage_default="volume"
  [[ -n "$(prior DATA_DIR)" ]] && storage_default="dir"
  OPT_STORAGE="${OPT_STORAGE:-}"
  ask STORAGE "Keep the node's data in a named Docker volume or a local directory? (volume/dir)" \
    is_volume_or_dir "$storage_default"
  if [[ "$STORAGE" == d* ]]; then
    ask DATA_DIR "Local directory for the node's data" is_path "$(prior DATA_DIR "$(pwd)/aztec-data")" "" required
    case "$DATA_DIR" in /*) ;; *) DATA_DIR="$(pwd)/${DATA_DIR#./}" ;; esac
    DATA_VOLUME=""
  else
    DATA_VOLUME="${OPT_DATA_VOLUME:-$(prior DATA_VOLUME "$DEFAULT_VOLUME")}"
    is_name "$DATA_VOLUME" || die "bad volume name '${DATA_VOLUME}': expected $(hint_for is_name)"
    DATA_DIR=""
  fi
  ask IMAGE "Docker image of the node" is_image "$(prior IMAGE "$DEFAULT_IMAGE")"
  ask BOOTNODE_URL "Bootnode URL (Enter for none: the network preset's)" is_url_list "$(prior BOOTNODE_URL)"
  # Not asked: host networking suits a node (P2P announces this machine's address); --network-mode bridge publishes ports.
  DOCKER_NETWORK_MODE="${OPT_DOCKER_NETWORK_MODE:-$(prior DOCKER_NETWORK_MODE "$DEFAULT_NETWORK_MODE")}"
  is_network_mode "$DOCKER_NETWORK_MODE" ||
    die "bad value for --network-mode: '${DOCKER_NETWORK_MODE}' (DOCKER_NETWORK_MODE): expected host or bridge"

  # Not asked: monitoring is switched on and off with --monitoring / --no-monitoring and kept in .env.
  MONITORING="${OPT_MONITORING:-$(prior MONITORING false)}"
  [[ "$MONITORING" == "true" || "$MONITORING" == "false" ]] ||
    die "bad MONITORING in ${ENV_FILE}: '${MONITORING}' (expected true or false; --monitoring / --no-monitoring set it)"
  GRAFANA_PASSWORD="$(prior GRAFANA_PASSWORD)"
  [[ -z "$GRAFANA_PASSWORD" ]] || is_token "$GRAFANA_PASSWORD" ||
    die "bad GRAFANA_PASSWORD: expected $(hint_for is_token)"
  if [[ "$MONITORING" == "true" ]]; then
    [[ -n "$GRAFANA_PASSWORD" ]] || GRAFANA_PASSWORD="$(random_key | cut -c1-24)"
    [[ "$AZTEC_PORT" != "${PROMETHEUS_LISTEN##*:}" && "$AZTEC_PORT" != "$GRAFANA_PORT" ]] ||
      die "--monitoring runs Prometheus on port ${PROMETHEUS_LISTEN##*:} and Grafana on ${GRAFANA_PORT}: give the node another port (-p)"
  fi

  if [[ -n "$MISSING" ]]; then
    local m list=""
    for m in $MISSING; do list="${list}
  ${m} ($(option_of "$m"))"; done
    die "--non-interactive: missing values, give them as options or environment variables:${list}"
  fi

  # The P2P identity: the -pk option, else the one kept (in .env or the data directory), else a new one.
  local key_file="" pk=""
  [[ -n "$DATA_DIR" ]] && key_file="${DATA_DIR}/var/lib/aztec/p2p-private-key"
  if [[ -n "${OPT_PEER_ID_PRIVATE_KEY:-}" ]]; then
    is_key "$OPT_PEER_ID_PRIVATE_KEY" || die "bad value for -pk: expected $(hint_for is_key)"
    pk="$OPT_PEER_ID_PRIVATE_KEY"
  elif env_file_has PEER_ID_PRIVATE_KEY && is_key "$(env_file_get PEER_ID_PRIVATE_KEY)"; then
    pk="$(env_file_get PEER_ID_PRIVATE_KEY)"
  elif [[ -n "$key_file" && -s "$key_file" ]] && is_key "$(tr -d ' \n' <"$key_file")"; then
    pk="$(tr -d ' \n' <"$key_file")"
  elif [[ -n "${PEER_ID_PRIVATE_KEY:-}" ]]; then
    is_key "$PEER_ID_PRIVATE_KEY" || die "bad PEER_ID_PRIVATE_KEY in the environment: expected $(hint_for is_key)"
    pk="$PEER_ID_PRIVATE_KEY"
  else
    pk="$(random_key)"
    say "Generated a new P2P private key (the node's peer identity)."
  fi
  pk="${pk#0x}"
  PEER_ID_PRIVATE_KEY="$pk"
  if [[ -n "$key_file" ]]; then
    mkdir -p "$(dirname "$key_file")"
    (umask 077 && printf '%s\n' "$pk" >"$key_file")
    chmod 600 "$key_file"
  fi

  write_env
  [[ "$MONITORING" != "true" ]] || write_monitoring_files
  write_compose
  if [[ -n "$(compose_cmd)" ]]; then
    local out
    COMPOSE="$(compose_cmd)"
    out="$(compose config -q 2>&1)" || die "the written ${COMPOSE_FILE} does not validate: ${out}"
  fi

  say ""
  say "Wrote ${ENV_FILE} (mode 600: it holds your keys) and ${COMPOSE_FILE}."
  if [[ "$MONITORING" == "true" ]]; then
    say "Monitoring: ./${MONITORING_DIR}/ and two more services. After 'start': Prometheus on http://${PROMETHEUS_LISTEN} (alerts at /alerts),"
    say "Grafana on http://127.0.0.1:${GRAFANA_PORT} (user admin, password GRAFANA_PASSWORD in ${ENV_FILE}); both on loopback: use an SSH tunnel."
  fi
  if [[ -n "$DATA_DIR" ]]; then
    say "Node data: ${DATA_DIR}/var/lib/aztec (P2P key: ${key_file})."
    if [[ "$(id -u)" == 0 ]]; then
      # Run as root (sudo): hand the directory to the container's user now rather than leave it unwritable.
      chown -R 1000:1000 "${DATA_DIR}/var/lib/aztec" && say "Gave ${DATA_DIR}/var/lib/aztec to uid 1000, the container's user."
    elif [[ "$(id -u)" != 1000 ]]; then
      say "The container runs as uid 1000: if it cannot write there, run: sudo chown -R 1000:1000 '${DATA_DIR}/var/lib/aztec'"
    fi
  else
    say "Node data: Docker volume '${DATA_VOLUME}' (the P2P key is PEER_ID_PRIVATE_KEY in ${ENV_FILE})."
  fi
  say "Next: ./aztec-spartan.sh start   (then: logs, status, stop, update)"
}

write_env() {
  TMP_ENV="$(mktemp "${ENV_FILE}.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -f '$TMP_ENV'" EXIT
  {
    say "# Written by aztec-spartan config on $(date -u +%Y-%m-%dT%H:%M:%SZ). It holds secrets: keep it mode 600."
    say "# Edit values here and run 'aztec-spartan.sh config' again: it keeps them (unless --overwrite)."
    say "# Docker Compose passes every line to the node (env_file); see 'aztec start --help' for all variables."
  } >"$TMP_ENV"
  emit IMAGE "$IMAGE"
  emit NETWORK "$NETWORK"
  emit ETHEREUM_HOSTS "$ETHEREUM_HOSTS"
  emit L1_CONSENSUS_HOST_URLS "$L1_CONSENSUS_HOST_URLS"
  emit L1_CONSENSUS_HOST_API_KEYS "$L1_CONSENSUS_HOST_API_KEYS"
  emit L1_CONSENSUS_HOST_API_KEY_HEADERS "$L1_CONSENSUS_HOST_API_KEY_HEADERS"
  emit BOOTNODE_URL "$BOOTNODE_URL"
  emit VALIDATOR_PRIVATE_KEY "$VALIDATOR_PRIVATE_KEY"
  emit COINBASE "$COINBASE"
  emit FEE_RECIPIENT "$FEE_RECIPIENT"
  emit AZTEC_PORT "$AZTEC_PORT"
  emit AZTEC_ADMIN_PORT "$AZTEC_ADMIN_PORT"
  emit P2P_ENABLED "true"
  emit P2P_IP "$P2P_IP"
  emit P2P_QUERY_FOR_IP "$P2P_QUERY_FOR_IP"
  emit P2P_PORT "$P2P_PORT"
  emit PEER_ID_PRIVATE_KEY "$PEER_ID_PRIVATE_KEY"
  emit DATA_DIRECTORY "$CONTAINER_DATA_DIR"
  emit DATA_DIR "$DATA_DIR"
  emit DATA_VOLUME "$DATA_VOLUME"
  emit DOCKER_NETWORK_MODE "$DOCKER_NETWORK_MODE"
  # Absent means off, so a .env without monitoring stays as it was.
  if [[ "$MONITORING" == "true" ]]; then emit MONITORING true; fi
  emit GRAFANA_PASSWORD "$GRAFANA_PASSWORD"

  # Kept: every other line of the existing .env (the operator's own settings), unless --overwrite.
  local line key seen=" "
  if [[ -f "$ENV_FILE" && "$OVERWRITE" == 0 ]]; then
    while IFS= read -r line || [[ -n "$line" ]]; do
      [[ "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)= ]] || continue
      key="${BASH_REMATCH[1]}"
      is_managed "$key" && continue
      printf '%s\n' "$line" >>"$TMP_ENV"
      seen="${seen}${key} "
    done <"$ENV_FILE"
  fi
  # Added: the guide's variables set in the environment that .env does not have yet.
  local var
  for var in $TABLE_VARS; do
    is_managed "$var" && continue
    [[ "$seen" == *" ${var} "* ]] && continue
    [[ -n "${!var:-}" ]] || continue
    is_token "${!var}" || die "bad ${var} in the environment: expected $(hint_for is_token)"
    emit "$var" "${!var}"
  done
  chmod 600 "$TMP_ENV"
  mv -f "$TMP_ENV" "$ENV_FILE"
  trap - EXIT
}

write_compose() {
  local volume_line named=""
  if [[ -n "$DATA_DIR" ]]; then
    volume_line="${DATA_DIR}/var/lib/aztec:${CONTAINER_DATA_DIR}"
  else
    volume_line="${DATA_VOLUME}:${CONTAINER_DATA_DIR}"
    named="
  ${DATA_VOLUME}:"
  fi
  local monitoring_services=""
  if [[ "$MONITORING" == "true" ]]; then
    monitoring_services="$(monitoring_services)"
    named="${named}
  prometheus-data:
  grafana-data:"
  fi
  local volumes_section=""
  [[ -z "$named" ]] || volumes_section="
volumes:${named}"
  local network_lines
  if [[ "$DOCKER_NETWORK_MODE" == "host" ]]; then
    network_lines="    network_mode: host"
  else
    network_lines="    ports:
      - \"${AZTEC_PORT}:${AZTEC_PORT}/tcp\"
      - \"${P2P_PORT}:${P2P_PORT}/tcp\"
      - \"${P2P_PORT}:${P2P_PORT}/udp\""
  fi
  local tmp
  tmp="$(mktemp "${COMPOSE_FILE}.XXXXXX")"
  cat >"$tmp" <<EOF
# Written by aztec-spartan config. Settings live in .env; run 'aztec-spartan.sh config' again to regenerate.
services:
  ${SERVICE}:
    image: "${IMAGE}"
    env_file: .env
    command: ["start", "--node", "--archiver", "--sequencer"]
${network_lines}
    volumes:
      - "${volume_line}"
    restart: unless-stopped
    healthcheck:
      test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:${AZTEC_PORT}/status').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
      interval: 30s
      timeout: 10s
      retries: 3
      start_period: 60s
${monitoring_services}
${volumes_section}
EOF
  chmod 644 "$tmp"
  mv -f "$tmp" "$COMPOSE_FILE"
}

# ---------------------------------------------------------------- monitoring (--monitoring)

# Prometheus and Grafana on the host's network (like the node in host mode; in bridge mode the node's port is
# published on this machine, so 127.0.0.1:AZTEC_PORT reaches it too), both on loopback only. GRAFANA_PASSWORD and
# the images are read by Docker Compose from .env when it starts them, so the compose file holds no secret.
monitoring_services() {
  cat <<EOF

  prometheus:
    image: "\${PROMETHEUS_IMAGE:-prom/prometheus:v2.53.0}"
    network_mode: host
    restart: unless-stopped
    command:
      - --config.file=/etc/prometheus/prometheus.yml
      - --storage.tsdb.path=/prometheus
      - --storage.tsdb.retention.time=\${PROMETHEUS_RETENTION:-15d}
      - --web.listen-address=${PROMETHEUS_LISTEN}
    volumes:
      - ./${MONITORING_DIR}/prometheus.yml:/etc/prometheus/prometheus.yml:ro
      - ./${MONITORING_DIR}/alerts.yml:/etc/prometheus/alerts.yml:ro
      - prometheus-data:/prometheus

  grafana:
    image: "\${GRAFANA_IMAGE:-grafana/grafana:11.1.0}"
    network_mode: host
    restart: unless-stopped
    environment:
      GF_SERVER_HTTP_ADDR: 127.0.0.1
      GF_SERVER_HTTP_PORT: "${GRAFANA_PORT}"
      GF_SECURITY_ADMIN_PASSWORD: "\${GRAFANA_PASSWORD:?set GRAFANA_PASSWORD in .env (aztec-spartan.sh config --monitoring does)}"
      GF_USERS_ALLOW_SIGN_UP: "false"
    volumes:
      - ./${MONITORING_DIR}/grafana/provisioning:/etc/grafana/provisioning:ro
      - ./${MONITORING_DIR}/grafana/dashboards:/var/lib/grafana/dashboards:ro
      - grafana-data:/var/lib/grafana
EOF
}

# Writes the monitoring files beside the compose file, readable by the containers' users (umask 022); Prometheus
# scrapes this node's port.
write_monitoring_files() {
  local dir f
  dir="$(dirname "$COMPOSE_FILE")/${MONITORING_DIR}"
  for f in $MONITORING_FILES; do
    (umask 022 && mkdir -p "$(dirname "${dir}/${f}")")
    if [[ "$f" == "prometheus.yml" ]]; then
      monitoring_file "$f" | sed "s/127\.0\.0\.1:8080/127.0.0.1:${AZTEC_PORT}/"
    else
      monitoring_file "$f"
    fi >"${dir}/${f}"
    chmod 644 "${dir}/${f}"
  done
}

# BEGIN MONITORING FILES: copied from docker/monitoring/ by spartan/build-monitoring.sh; do not edit here.
readonly MONITORING_FILES="prometheus.yml alerts.yml grafana/provisioning/datasources/prometheus.yml grafana/provisioning/dashboards/aztec.yml grafana/dashboards/node.json grafana/dashboards/validators.json grafana/dashboards/l1.json"
# The content of one monitoring file, by its path under docker/monitoring/.
monitoring_file() {
  case "$1" in
    prometheus.yml)
      cat <<'AZTEC_MONITORING_FILE_EOF'
# Prometheus for one Aztec node on this host (the compose file runs both on the host's network).
# The node serves its metrics on its JSON-RPC port (AZTEC_PORT, 8080 by default) at GET /metrics.
global:
  scrape_interval: 15s
  evaluation_interval: 15s

rule_files:
  - alerts.yml

scrape_configs:
  - job_name: aztec-node
    metrics_path: /metrics
    static_configs:
      - targets: ['127.0.0.1:8080']
AZTEC_MONITORING_FILE_EOF
      ;;
    alerts.yml)
      cat <<'AZTEC_MONITORING_FILE_EOF'
# Alert rules for an Aztec node (docs/metrics.md lists the metrics). Thresholds are for a public network with 12 s
# L1 blocks; adjust them to your network.
groups:
  - name: aztec-node
    rules:
      - alert: AztecNodeDown
        expr: up{job="aztec-node"} == 0
        for: 2m
        labels:
          severity: critical
        annotations:
          summary: 'Aztec node {{ $labels.instance }} is down'
          description: 'Prometheus cannot scrape /metrics on {{ $labels.instance }}: is the node running, on that port?'

      - alert: AztecNodeNotSynced
        expr: aztec_archiver_l1_lag_blocks > 10
        for: 2m
        labels:
          severity: critical
        annotations:
          summary: 'Aztec node {{ $labels.instance }} is not synced'
          description: >-
            The archiver is {{ $value }} L1 blocks behind the L1 head. Check the node log for archiver errors, the L1
            RPC (ETHEREUM_HOSTS) and whether the sync was paused with nodeAdmin_pauseSync.

      - alert: AztecMissedProposal
        # Slots this node was proposer of and gave up, except for want of txs (SEQ_MIN_TX_PER_BLOCK).
        expr: increase(aztec_sequencer_slots_total{outcome="skipped", state!="INITIALIZING_PROPOSAL"}[30m]) > 0
        labels:
          severity: warning
        annotations:
          summary: 'Aztec node {{ $labels.instance }} missed a block proposal'
          description: 'A slot of this node was given up in {{ $labels.state }}: the node log says why (Skipped slot ...).'

      - alert: AztecAttestationRateLow
        # Of the proposals this node's validator had a duty for (not skipped), the share it attested.
        expr: >-
          sum by (instance) (rate(aztec_validator_attestations_total{outcome="attested"}[30m]))
          / sum by (instance) (rate(aztec_validator_attestations_total{outcome!="skipped"}[30m])) < 0.9
        for: 15m
        labels:
          severity: warning
        annotations:
          summary: 'Aztec node {{ $labels.instance }} attests to under 90% of the proposals it checks'
          description: 'Look for "Block proposal not attested" in the node log (invalid, refused, missing txs).'

      - alert: AztecTooFewPeers
        expr: aztec_p2p_connected_peers < 3
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: 'Aztec node {{ $labels.instance }} has {{ $value }} peers'
          description: 'Check that the P2P port (P2P_PORT, TCP and UDP) is reachable from outside and P2P_IP is right.'

      - alert: AztecL1Errors
        expr: >-
          sum by (instance) (rate(aztec_l1_request_errors_total[5m]))
          / sum by (instance) (rate(aztec_l1_requests_total[5m])) > 0.05
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: 'Over 5% of L1 requests of {{ $labels.instance }} fail'
          description: 'Check the L1 RPC endpoints (ETHEREUM_HOSTS); aztec_l1_request_errors_total says which kind.'

      - alert: AztecL1RateLimited
        expr: sum by (instance) (increase(aztec_l1_request_errors_total{kind="rate_limited"}[10m])) > 0
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: 'The L1 RPC rate-limits {{ $labels.instance }}'
          description: 'Use an L1 endpoint with a higher limit, or add one to ETHEREUM_HOSTS (they fail over).'

      - alert: AztecDiskFilling
        expr: aztec_node_data_dir_free_bytes / aztec_node_data_dir_size_bytes < 0.10
        for: 10m
        labels:
          severity: critical
        annotations:
          summary: 'The data directory of {{ $labels.instance }} has under 10% free space'
          description: 'Free space on the filesystem of DATA_DIRECTORY before the node cannot write its store.'

      - alert: AztecDiskFullIn24h
        expr: predict_linear(aztec_node_data_dir_free_bytes[6h], 24 * 3600) < 0
        for: 1h
        labels:
          severity: warning
        annotations:
          summary: 'The data directory of {{ $labels.instance }} fills up within a day at this rate'
          description: 'Add space to the filesystem of DATA_DIRECTORY.'

      - alert: AztecValidatorMissingDuties
        # The sentinel's count of this node's own validators' missed proposals and attestations (docs/sentinel.md).
        expr: increase(aztec_sentinel_missed_duties_total[30m]) >= 3
        labels:
          severity: warning
        annotations:
          summary: 'Validator {{ $labels.validator }} on {{ $labels.instance }} missed {{ $value }} {{ $labels.duty }} duties in 30 minutes'
          description: >-
            node_getValidatorStats (or aztec get-info --validator) shows which slots. Check that the node is synced,
            has peers and that its publisher has ETH.

      - alert: AztecDoppelgangerDetected
        # A starting node saw one of its attesters signing elsewhere and will not sign with it (VALIDATOR_DOPPELGANGER_EPOCHS).
        expr: max by (instance, attester) (aztec_validator_doppelganger_detected) == 1
        labels:
          severity: critical
        annotations:
          summary: 'Attester {{ $labels.attester }} of {{ $labels.instance }} is signing somewhere else'
          description: >-
            This node refuses to sign with it. Stop the other machine holding this key, then restart this node
            (nodeAdmin_getValidatorStatus names the signature it saw).

      - alert: AztecValidatorSlashed
        # L1's Slasher slashed one of this node's attesters for signing two different digests in one slot.
        expr: increase(aztec_slasher_own_validator_slashed_total{offence!="inactivity"}[1h]) > 0
        labels:
          severity: critical
        annotations:
          summary: 'A validator of {{ $labels.instance }} was slashed on L1 ({{ $labels.offence }})'
          description: >-
            Two machines are signing with one key, or the slashing protection history was lost. Stop all but one
            signer before anything else; see docs/slashing.md.

      - alert: AztecValidatorVotedForSlashing
        # The network's proposers signalled (or executed) a slash payload naming one of this node's attesters: inactivity.
        expr: increase(aztec_slasher_own_attester_in_payload_total[1h]) > 0
        labels:
          severity: critical
        annotations:
          summary: 'A slash payload names a validator of {{ $labels.instance }} ({{ $labels.stage }})'
          description: >-
            Other nodes count it as inactive (SLASH_INACTIVITY_*). The node's log names the validator; check with
            aztec get-info --validator that it proposes and attests, and that the node is synced and has peers.
AZTEC_MONITORING_FILE_EOF
      ;;
    grafana/provisioning/datasources/prometheus.yml)
      cat <<'AZTEC_MONITORING_FILE_EOF'
# The Prometheus of docker/monitoring/docker-compose.yml, on the host's network.
apiVersion: 1
datasources:
  - name: Prometheus
    uid: prometheus
    type: prometheus
    access: proxy
    url: http://127.0.0.1:9090
    isDefault: true
AZTEC_MONITORING_FILE_EOF
      ;;
    grafana/provisioning/dashboards/aztec.yml)
      cat <<'AZTEC_MONITORING_FILE_EOF'
# Loads the dashboards in /var/lib/grafana/dashboards (docker/monitoring/grafana/dashboards).
apiVersion: 1
providers:
  - name: aztec
    folder: Aztec
    type: file
    disableDeletion: false
    allowUiUpdates: true
    options:
      path: /var/lib/grafana/dashboards
AZTEC_MONITORING_FILE_EOF
      ;;
    grafana/dashboards/node.json)
      cat <<'AZTEC_MONITORING_FILE_EOF'
{
  "uid": "aztec-node",
  "title": "Aztec node",
  "tags": ["aztec"],
  "schemaVersion": 39,
  "version": 1,
  "editable": true,
  "time": {
    "from": "now-6h",
    "to": "now"
  },
  "refresh": "30s",
  "timezone": "utc",
  "templating": {
    "list": []
  },
  "annotations": {
    "list": []
  },
  "panels": [
    {
      "id": 1,
      "type": "stat",
      "title": "Up",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 0
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "up{job=\"aztec-node\"}",
          "legendFormat": "{{instance}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 2,
      "type": "timeseries",
      "title": "L2 blocks",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 0
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "aztec_archiver_l2_block_number",
          "legendFormat": "archiver",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        },
        {
          "refId": "B",
          "expr": "aztec_archiver_l2_proven_block_number",
          "legendFormat": "proven",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        },
        {
          "refId": "C",
          "expr": "aztec_world_state_block_number",
          "legendFormat": "world state",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 3,
      "type": "timeseries",
      "title": "Archiver lag behind L1",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 8
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "aztec_archiver_l1_lag_blocks",
          "legendFormat": "L1 blocks behind",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        },
        {
          "refId": "B",
          "expr": "aztec_archiver_sync_paused",
          "legendFormat": "paused",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 4,
      "type": "timeseries",
      "title": "L1 blocks",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 8
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "aztec_l1_head_block_number",
          "legendFormat": "L1 head",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        },
        {
          "refId": "B",
          "expr": "aztec_archiver_l1_block_number",
          "legendFormat": "archiver synced to",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 5,
      "type": "timeseries",
      "title": "Blob fetch time (p90)",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 16
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "histogram_quantile(0.9, sum by (le, source) (rate(aztec_archiver_blob_fetch_duration_seconds_bucket[5m])))",
          "legendFormat": "{{source}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 6,
      "type": "timeseries",
      "title": "World state commit time (p90)",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 16
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "histogram_quantile(0.9, sum by (le) (rate(aztec_world_state_commit_duration_seconds_bucket[5m])))",
          "legendFormat": "commit",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 7,
      "type": "timeseries",
      "title": "World-state tree leaves",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 24
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "aztec_world_state_tree_leaves",
          "legendFormat": "{{tree}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 8,
      "type": "timeseries",
      "title": "Tx pool",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 24
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "aztec_tx_pool_pending_txs",
          "legendFormat": "pending txs",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        },
        {
          "refId": "B",
          "expr": "sum by (cause) (rate(aztec_tx_pool_dropped_total[5m]))",
          "legendFormat": "dropped/s {{cause}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 9,
      "type": "timeseries",
      "title": "Tx pool bytes",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 32
      },
      "fieldConfig": {
        "defaults": {
          "unit": "bytes"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "aztec_tx_pool_pending_bytes",
          "legendFormat": "pending",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 10,
      "type": "timeseries",
      "title": "Peers",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 32
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "aztec_p2p_connected_peers",
          "legendFormat": "peers",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 11,
      "type": "timeseries",
      "title": "Gossip",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 40
      },
      "fieldConfig": {
        "defaults": {
          "unit": "Bps"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "rate(aztec_p2p_gossip_received_bytes_total[5m])",
          "legendFormat": "received {{topic}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        },
        {
          "refId": "B",
          "expr": "rate(aztec_p2p_gossip_published_bytes_total[5m])",
          "legendFormat": "published {{topic}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 12,
      "type": "timeseries",
      "title": "Data directory free space",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 40
      },
      "fieldConfig": {
        "defaults": {
          "unit": "bytes"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "aztec_node_data_dir_free_bytes",
          "legendFormat": "free",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        },
        {
          "refId": "B",
          "expr": "aztec_node_data_dir_size_bytes",
          "legendFormat": "size",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 13,
      "type": "timeseries",
      "title": "Event-loop lag (p99)",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 48
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "aztec_process_nodejs_eventloop_lag_p99_seconds",
          "legendFormat": "p99",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 14,
      "type": "timeseries",
      "title": "Heap",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 48
      },
      "fieldConfig": {
        "defaults": {
          "unit": "bytes"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "aztec_process_nodejs_heap_size_used_bytes",
          "legendFormat": "used",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        },
        {
          "refId": "B",
          "expr": "aztec_process_nodejs_heap_size_total_bytes",
          "legendFormat": "total",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    }
  ]
}
AZTEC_MONITORING_FILE_EOF
      ;;
    grafana/dashboards/validators.json)
      cat <<'AZTEC_MONITORING_FILE_EOF'
{
  "uid": "aztec-validators",
  "title": "Aztec validators",
  "tags": ["aztec"],
  "schemaVersion": 39,
  "version": 1,
  "editable": true,
  "time": {
    "from": "now-6h",
    "to": "now"
  },
  "refresh": "30s",
  "timezone": "utc",
  "templating": {
    "list": []
  },
  "annotations": {
    "list": []
  },
  "panels": [
    {
      "id": 1,
      "type": "timeseries",
      "title": "Sequencer state",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 0
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "aztec_sequencer_state == 1",
          "legendFormat": "{{state}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 2,
      "type": "timeseries",
      "title": "Slots as proposer",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 0
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "sum by (outcome, state) (increase(aztec_sequencer_slots_total[1h]))",
          "legendFormat": "{{outcome}} {{state}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 3,
      "type": "timeseries",
      "title": "Block build time (p90)",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 8
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "histogram_quantile(0.9, sum by (le) (rate(aztec_sequencer_block_build_duration_seconds_bucket[15m])))",
          "legendFormat": "build",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 4,
      "type": "timeseries",
      "title": "Block publish time (p90)",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 8
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "histogram_quantile(0.9, sum by (le) (rate(aztec_sequencer_block_publish_duration_seconds_bucket[15m])))",
          "legendFormat": "publish",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 5,
      "type": "timeseries",
      "title": "Proposal to quorum (p90)",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 16
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "histogram_quantile(0.9, sum by (le) (rate(aztec_sequencer_proposal_quorum_seconds_bucket[15m])))",
          "legendFormat": "quorum",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 6,
      "type": "timeseries",
      "title": "Slots without quorum",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 16
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "increase(aztec_sequencer_slots_without_quorum_total[1h])",
          "legendFormat": "per hour",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 7,
      "type": "timeseries",
      "title": "Attestations by outcome",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 24
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "sum by (outcome) (increase(aztec_validator_attestations_total[1h]))",
          "legendFormat": "{{outcome}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 8,
      "type": "stat",
      "title": "Attestation rate",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 24
      },
      "fieldConfig": {
        "defaults": {
          "unit": "percentunit"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "sum(rate(aztec_validator_attestations_total{outcome=\"attested\"}[30m])) / sum(rate(aztec_validator_attestations_total{outcome!=\"skipped\"}[30m]))",
          "legendFormat": "attested",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 9,
      "type": "timeseries",
      "title": "Re-execution time (p90)",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 32
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "histogram_quantile(0.9, sum by (le) (rate(aztec_validator_reexecution_duration_seconds_bucket[15m])))",
          "legendFormat": "re-execution",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 10,
      "type": "timeseries",
      "title": "Epoch proofs",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 32
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "sum by (outcome) (increase(aztec_prover_epochs_total[6h]))",
          "legendFormat": "{{outcome}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 11,
      "type": "timeseries",
      "title": "Epoch proof submission (p90)",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 40
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "histogram_quantile(0.9, sum by (le) (rate(aztec_prover_submission_duration_seconds_bucket[1h])))",
          "legendFormat": "submission",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    }
  ]
}
AZTEC_MONITORING_FILE_EOF
      ;;
    grafana/dashboards/l1.json)
      cat <<'AZTEC_MONITORING_FILE_EOF'
{
  "uid": "aztec-l1",
  "title": "Aztec L1",
  "tags": ["aztec"],
  "schemaVersion": 39,
  "version": 1,
  "editable": true,
  "time": {
    "from": "now-6h",
    "to": "now"
  },
  "refresh": "30s",
  "timezone": "utc",
  "templating": {
    "list": []
  },
  "annotations": {
    "list": []
  },
  "panels": [
    {
      "id": 1,
      "type": "timeseries",
      "title": "L1 requests by method",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 0
      },
      "fieldConfig": {
        "defaults": {
          "unit": "reqps"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "sum by (method) (rate(aztec_l1_requests_total[5m]))",
          "legendFormat": "{{method}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 2,
      "type": "timeseries",
      "title": "L1 errors by kind",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 0
      },
      "fieldConfig": {
        "defaults": {
          "unit": "reqps"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "sum by (kind) (rate(aztec_l1_request_errors_total[5m]))",
          "legendFormat": "{{kind}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 3,
      "type": "timeseries",
      "title": "L1 rate limits",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 8
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "sum(increase(aztec_l1_request_errors_total{kind=\"rate_limited\"}[1h]))",
          "legendFormat": "rate-limited per hour",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 4,
      "type": "timeseries",
      "title": "L1 request time (p90)",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 8
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "histogram_quantile(0.9, sum by (le, method) (rate(aztec_l1_request_duration_seconds_bucket[5m])))",
          "legendFormat": "{{method}}",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 5,
      "type": "timeseries",
      "title": "L1 gas used by proposals",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 16
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "increase(aztec_sequencer_l1_gas_used_total[1h])",
          "legendFormat": "gas per hour",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    },
    {
      "id": 6,
      "type": "timeseries",
      "title": "L1 head",
      "datasource": {
        "type": "prometheus",
        "uid": "prometheus"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 16
      },
      "fieldConfig": {
        "defaults": {
          "unit": "none"
        },
        "overrides": []
      },
      "options": {},
      "targets": [
        {
          "refId": "A",
          "expr": "aztec_l1_head_block_number",
          "legendFormat": "head",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        },
        {
          "refId": "B",
          "expr": "aztec_archiver_l1_lag_blocks",
          "legendFormat": "archiver lag",
          "datasource": {
            "type": "prometheus",
            "uid": "prometheus"
          }
        }
      ]
    }
  ]
}
AZTEC_MONITORING_FILE_EOF
      ;;
    *) return 1 ;;
  esac
}
# END MONITORING FILES

# ---------------------------------------------------------------- the other commands

cmd_status() {
  local port url body
  port="$(env_file_get AZTEC_PORT)"
  port="${port:-$DEFAULT_PORT}"
  url="${AZTEC_NODE_URL:-http://127.0.0.1:${port}}"
  command -v curl >/dev/null 2>&1 || die "'status' needs curl (e.g. 'sudo apt-get install curl')."
  body='[{"jsonrpc":"2.0","method":"node_getL2Tips","params":[],"id":1},{"jsonrpc":"2.0","method":"p2p_getPeers","params":[],"id":2}]'
  local out
  out="$(curl -sS --max-time 10 -X POST -H 'Content-Type: application/json' -d "$body" "$url" 2>&1)" ||
    die "no node answers at ${url} (${out}). Is it running? './aztec-spartan.sh start', then './aztec-spartan.sh logs'."
  if command -v jq >/dev/null 2>&1; then
    printf '%s' "$out" | jq -r '
      (map(select(.id == 1))[0]) as $t | (map(select(.id == 2))[0]) as $p |
      if $t.result then
        "Latest block:    \($t.result.latest.number)\nProven block:    \($t.result.proven.number)\nFinalized block: \($t.result.finalized.number)"
      else "Tips: error \($t.error.message // "unknown")" end,
      if $p.result then "Peers:           \($p.result | length)"
      else "Peers:           unknown (the node has no peer API: \($p.error.message // "no answer"))" end' ||
      die "unexpected answer from ${url}: ${out}"
  else
    say "Node at ${url} answers (install jq for a summary):"
    say "$out"
  fi
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    "" | help | -h | --help) usage ;;
    config) cmd_config "$@" ;;
    start)
      need_engine start
      compose up -d
      say "Started. Follow it with './aztec-spartan.sh logs'; check it with './aztec-spartan.sh status'."
      ;;
    stop)
      need_engine stop
      compose down
      ;;
    logs)
      need_engine logs
      compose logs -f --tail=200 "$@"
      ;;
    update)
      need_engine update
      compose pull "$SERVICE" || err "pulling the image failed (a locally built image is not in a registry: rebuild it with 'docker build -f docker/Dockerfile -t <image> .'); recreating with the image there is."
      compose up -d --force-recreate "$SERVICE"
      ;;
    status) cmd_status ;;
    version | --version) say "aztec-spartan ${VERSION}" ;;
    *)
      err "unknown command: ${cmd}"
      usage >&2
      exit 1
      ;;
  esac
}

main "$@"
