#!/usr/bin/env bash
# System tools the tests need beyond the Python venv: Chromium (+ driver) for browser
# tests, Java for the Nu Html Checker, and the checker itself (npm vnu-jar) in .tools/.
# Idempotent: installs only what is missing, so a second run takes a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "install-tools: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

VNU_VERSION="26.9.27"
jar=".tools/node_modules/vnu-jar/build/dist/vnu.jar"
installed=""
if [[ -f .tools/node_modules/vnu-jar/package.json ]]; then
  installed=$(node -p "require('./.tools/node_modules/vnu-jar/package.json').version" 2>/dev/null || true)
fi
if [[ ! -f "$jar" || "$installed" != "$VNU_VERSION" ]]; then
  echo "install-tools: npm install vnu-jar@$VNU_VERSION into .tools/"
  # --ignore-scripts: its postinstall would download a Java runtime; we use the system one.
  npm install --prefix .tools --ignore-scripts --no-audit --no-fund --silent "vnu-jar@$VNU_VERSION"
fi
echo "install-tools: java, chromium and vnu $(java -jar "$jar" --version) ready"
