#!/usr/bin/env bash
# Installs what the WebKitGTK engine of the conformance lab needs on Debian 12 (bookworm):
# MiniBrowser + WebKitWebDriver, Xvfb (MiniBrowser has no headless mode), the GStreamer plugins
# WebKit's MediaRecorder encodes with (H.264 + AAC into fragmented MP4), and what builds the
# small `autovideoflip` stand-in plugin (see gst_autovideoflip/autovideoflip.c).
#
# Idempotent: installs only packages that are missing, and runs `apt-get update` only then.
# Never downloads a browser build; everything comes from Debian's archive.
#
# Usage: bash conformance/drivers/install_webkitgtk.sh   (as root, or with sudo available)
set -euo pipefail

PACKAGES=(
  webkit2gtk-driver
  libwebkit2gtk-4.1-0
  xvfb
  xauth
  gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly
  gstreamer1.0-libav
  gstreamer1.0-gl
  libgstreamer1.0-dev
  gcc
  libc6-dev
  pkg-config
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "webkitgtk: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "webkitgtk: installing ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
