#!/bin/sh
# Build the release binaries: dist/xacct-doctor-linux-x86_64,
# dist/xacct-doctor-linux-aarch64 and dist/SHA256SUMS. Each is one static
# ELF file (no interpreter, no DT_NEEDED) that runs on an EMR node (Amazon
# Linux 2 / 2023) and in a SageMaker Studio space (Ubuntu) alike.
#
# Why musl: a static glibc still loads NSS modules at run time for
# getaddrinfo/getpwnam, so it is not self-contained. musl reads /etc/hosts,
# /etc/resolv.conf and /etc/passwd itself, and the program resolves names
# with c-ares anyway. Debian's -dev archives are built for glibc, so each
# library is built here from its Debian source package (apt-get source,
# Debian's patches applied) in a minimal configuration: OpenSSL without
# engines/modules/DSO, libcurl with OpenSSL and c-ares only (no GSSAPI, LDAP,
# IDN, HTTP/2, compression), libpcap without D-Bus/RDMA/USB/Bluetooth.
#
# Library builds are cached under $XD_STATIC_DIR (default
# ~/.cache/xacct-doctor/static, outside the tree, so a fresh clone on the
# same machine reuses them) in <arch>/<package>-<version>/, keyed by the
# Debian version and the recipe number: a second run only rebuilds
# xacct-doctor itself. Usage: build-static.sh [x86_64] [aarch64]
# (XD_STATIC_LIBS="expat cjson" builds only those libraries, nothing else.)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
work=${XD_STATIC_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/xacct-doctor/static}
dist=${XD_DIST_DIR:-$top/dist}
jobs=$(nproc 2>/dev/null || echo 2)
# Bump when a recipe below changes: the cache key is package version + this.
recipe=1
arches=${*:-x86_64 aarch64}

say() { echo "build-static: $*" >&2; }
die() { say "$*"; exit 1; }

for tool in musl-gcc dpkg-source apt-get cmake make perl; do
  command -v "$tool" >/dev/null 2>&1 ||
    die "$tool is missing: run 'sh scripts/deps.sh test' (scripts/deps.d/static.txt)"
done

mkdir -p "$work/src" "$dist"

# ---- sources: the Debian source packages ---------------------------------
# apt-get source needs a deb-src entry; add one mirroring the deb entries.
ensure_deb_src() {
  if apt-cache showsrc curl 2>/dev/null | grep -q '^Version:'; then
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "no deb-src entry in /etc/apt and not root to add one"
  f=/etc/apt/sources.list.d/xacct-doctor-src.sources
  say "adding deb-src entries ($f)"
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$f"
  else
    grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
      >/etc/apt/sources.list.d/xacct-doctor-src.list
  fi
  apt-get update -q >/dev/null
}

# fetch PKG: unpack the newest downloadable version of source package PKG
# into $work/src/PKG-VERSION (Debian patches applied); print that path.
fetch() {
  pkg=$1
  versions=$(apt-cache showsrc "$pkg" | sed -n 's/^Version: //p' |
             sort -u | sort -r -V)
  [ -n "$versions" ] || die "no source package $pkg (apt-get update?)"
  for v in $versions; do
    uv=${v#*:}
    dir=$work/src/$pkg-$uv
    if [ -f "$dir/.unpacked" ]; then echo "$dir"; return 0; fi
    dl=$work/src/dl-$pkg-$uv
    rm -rf "$dl" && mkdir -p "$dl"
    # a mirror may list a version whose files are gone: try the next one
    if (cd "$dl" && apt-get source -q --download-only "$pkg=$v" >/dev/null 2>&1); then
      rm -rf "$dir"
      (cd "$dl" && dpkg-source --no-check -x ./*.dsc "$dir" >/dev/null)
      touch "$dir/.unpacked"
      rm -rf "$dl"
      echo "$dir"
      return 0
    fi
    say "$pkg $v: could not be downloaded, trying an older version"
    rm -rf "$dl"
  done
  die "no version of source package $pkg could be downloaded"
}

# ---- toolchains ---------------------------------------------------------
# toolchain ARCH: a cc wrapper (gcc + musl specs + kernel headers) in
# $work/ARCH/bin, and the GNU host triplet in $host.
toolchain() {
  a=$1
  case $a in
    x86_64)
      gcc=x86_64-linux-gnu-gcc; host=x86_64-linux-musl; ossl=linux-x86_64
      asm=/usr/include/x86_64-linux-gnu/asm; kdir=/usr/include ;;
    aarch64)
      gcc=aarch64-linux-gnu-gcc; host=aarch64-linux-musl; ossl=linux-aarch64
      asm=/usr/aarch64-linux-gnu/include/asm; kdir=/usr/aarch64-linux-gnu/include ;;
    *) die "unknown architecture $a (x86_64 or aarch64)" ;;
  esac
  specs=/usr/lib/$host/musl-gcc.specs
  command -v "$gcc" >/dev/null 2>&1 || die "$gcc is missing (crossbuild-essential-arm64)"
  [ -f "$specs" ] || die "$specs is missing (musl-dev, musl-dev:arm64)"
  [ -d "$asm" ] || die "$asm is missing (linux-libc-dev for $a)"
  tc=$work/$a/bin
  kinc=$work/$a/kernel-include
  mkdir -p "$tc" "$kinc"
  # musl's specs drop /usr/include; the kernel's uapi headers (libpcap's
  # linux/if_packet.h, ...) are libc-independent, so they are added back.
  ln -sfn "$kdir/linux" "$kinc/linux"
  ln -sfn "$kdir/asm-generic" "$kinc/asm-generic"
  ln -sfn "$asm" "$kinc/asm"
  cat >"$tc/cc" <<EOF
#!/bin/sh
exec $gcc "\$@" -specs $specs -isystem $kinc
EOF
  chmod +x "$tc/cc"
  if [ "$a" = aarch64 ]; then
    # Debian's aarch64 libgcc (outline atomics) calls __getauxval, which
    # musl's libc.a has, but libgcc comes after libc on the link line, so
    # a link where nothing else pulled it in fails (curl's configure tests).
    # Every link gets this weak forwarder; libc's wins where it is there.
    printf '%s\n' '#include <sys/auxv.h>' \
      'unsigned long __getauxval(unsigned long t) __attribute__((weak));' \
      'unsigned long __getauxval(unsigned long t) { return getauxval(t); }' \
      >"$tc/auxv.c"
    "$tc/cc" -Os -c "$tc/auxv.c" -o "$tc/auxv.o"
    cat >"$tc/cc" <<EOF
#!/bin/sh
case " \$* " in
  *" -c "*|*" -E "*|*" -S "*|*" -M "*|*" -MM "*) exec $gcc "\$@" -specs $specs -isystem $kinc ;;
esac
exec $gcc "\$@" $tc/auxv.o -specs $specs -isystem $kinc
EOF
  fi
  CC=$tc/cc
  AR=${gcc%-gcc}-ar
  RANLIB=${gcc%-gcc}-ranlib
  STRIP=${gcc%-gcc}-strip
}

# ---- one library ---------------------------------------------------------
# lib ARCH PKG: build PKG for ARCH into its cached prefix unless present.
lib() {
  a=$1 pkg=$2
  src=$(fetch "$pkg")
  ver=${src##*/"$pkg"-}
  prefix=$work/$a/$pkg-$ver
  if [ -f "$prefix/.built-$recipe" ]; then
    say "$a $pkg $ver: cached"
    return 0
  fi
  say "$a $pkg $ver: building"
  t0=$(date +%s)
  rm -rf "$prefix" "$work/$a/tree-$pkg"
  cp -a "$src" "$work/$a/tree-$pkg"
  log=$work/$a/$pkg.log
  fn=build_$(echo "$pkg" | tr - _)
  (cd "$work/$a/tree-$pkg" && "$fn" "$prefix") >"$log" 2>&1 ||
    { tail -40 "$log" >&2; die "$a $pkg $ver failed (log: $log)"; }
  rm -rf "$work/$a/tree-$pkg"
  touch "$prefix/.built-$recipe"
  say "$a $pkg $ver: built in $(( $(date +%s) - t0 )) s"
}

# The prefixes of the libraries already built for this architecture.
libprefix() {
  for d in "$work/$a/$1"-*; do
    [ -f "$d/.built-$recipe" ] && { echo "$d"; return 0; }
  done
  die "$a: $1 is not built"
}

# autoconf's cross build: ./configure with these first. The argument types
# of recv/recvfrom/send/getnameinfo are what Linux's (musl's) prototypes
# say; c-ares' configure otherwise finds them by compiling up to ~1,000
# candidate prototypes one by one.
configure() {
  pfx=$1
  shift
  export curl_cv_func_recv_args='int,void *,size_t,int,ssize_t'
  export curl_cv_func_send_args='int,const void *,size_t,int,ssize_t'
  export curl_cv_func_recvfrom_args='int,void *,size_t,int,struct sockaddr *,socklen_t *,ssize_t'
  export curl_cv_func_getnameinfo_args='const struct sockaddr *,socklen_t,socklen_t,int'
  CC=$CC AR=$AR RANLIB=$RANLIB CFLAGS="-Os -ffunction-sections -fdata-sections" \
    ./configure --host="$host" --prefix="$pfx" --disable-shared \
    --disable-dependency-tracking \
    --enable-static "$@"
}

build_openssl() {
  # no-async: musl has no makecontext. no-dso/no-module/no-engine: nothing
  # is loaded at run time. The CA bundle is chosen by the program itself.
  CC=$CC AR=$AR RANLIB=$RANLIB ./Configure "$ossl" --prefix="$1" --libdir=lib \
    --openssldir=/etc/ssl no-shared no-tests no-async no-dso no-module \
    no-engine no-afalgeng no-comp no-ssl3 no-weak-ssl-ciphers no-legacy \
    no-ui-console no-srp no-psk no-gost no-idea no-seed no-mdc2 no-rc5 \
    no-whirlpool no-cms no-ts no-ocsp no-srtp no-sctp no-dtls \
    -Os -ffunction-sections -fdata-sections
  make -j"$jobs" build_libs
  make install_dev
}

build_c_ares() {
  configure "$1" --disable-tests --disable-debug
  make -j"$jobs"
  make install
}

build_libpcap() {
  configure "$1" --with-pcap=linux --without-libnl \
    --disable-dbus --disable-rdma --disable-bluetooth --disable-usb \
    --disable-netmap --without-dpdk --disable-remote
  make -j"$jobs"
  make install
}

build_expat() {
  # Debian's source package is the git tree (no configure script): CMake
  cmake -S expat -B _b -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_C_COMPILER="$CC" \
    -DCMAKE_AR="$(command -v "$AR")" -DCMAKE_RANLIB="$(command -v "$RANLIB")" \
    -DCMAKE_BUILD_TYPE=MinSizeRel -DCMAKE_INSTALL_PREFIX="$1" \
    -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_C_FLAGS="-ffunction-sections -fdata-sections" \
    -DEXPAT_SHARED_LIBS=OFF -DEXPAT_BUILD_TOOLS=OFF -DEXPAT_BUILD_EXAMPLES=OFF \
    -DEXPAT_BUILD_TESTS=OFF -DEXPAT_BUILD_DOCS=OFF -DEXPAT_BUILD_FUZZERS=OFF \
    -DEXPAT_BUILD_PKGCONFIG=ON
  # Debian's patches test "#if XML_DTD == 1", as autoconf defines it; CMake
  # defines the feature macros empty
  sed -i 's/^#define \(XML_[A-Z_]*\)$/#define \1 1/' _b/expat_config.h
  cmake --build _b -j"$jobs"
  cmake --install _b
}

build_cjson() {
  # one file; Debian's library is built with CMake, which is overkill here
  $CC -Os -ffunction-sections -fdata-sections -std=c89 -c cJSON.c -o cJSON.o
  $AR rcs libcjson.a cJSON.o
  mkdir -p "$1/lib/pkgconfig" "$1/include/cjson"
  cp libcjson.a "$1/lib/"
  cp cJSON.h "$1/include/cjson/"
  v=$(sed -n 's/^project(cJSON.* VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
  cat >"$1/lib/pkgconfig/libcjson.pc" <<EOF
prefix=$1
libdir=\${prefix}/lib
includedir=\${prefix}/include
Name: libcjson
Description: Ultralightweight JSON parser in ANSI C
Version: ${v:-1}
Libs: -L\${libdir} -lcjson
Libs.private: -lm
Cflags: -I\${includedir} -I\${includedir}/cjson
EOF
}

build_curl() {
  ssl=$(libprefix openssl) ares=$(libprefix c-ares)
  # HTTP(S) only, with OpenSSL and c-ares: names never go through NSS.
  # (run in a subshell of its own: the export goes no further)
  export PKG_CONFIG_LIBDIR="$ssl/lib/pkgconfig:$ares/lib/pkgconfig"
  configure "$1" --with-openssl="$ssl" --enable-ares="$ares" \
    --without-zlib --without-brotli --without-zstd --without-libidn2 \
    --without-libpsl --without-nghttp2 --without-nghttp3 --without-ngtcp2 \
    --without-libssh2 --without-libssh --without-librtmp --without-gssapi \
    --without-libgsasl --without-hyper --without-ca-bundle --without-ca-path \
    --without-ca-fallback --disable-ldap --disable-ldaps --disable-rtsp \
    --disable-dict --disable-telnet --disable-tftp --disable-pop3 \
    --disable-imap --disable-smb --disable-smtp --disable-gopher --disable-mqtt \
    --disable-ftp --disable-file --disable-manual --disable-docs \
    --disable-ntlm --disable-kerberos-auth --disable-negotiate-auth \
    --disable-unix-sockets --disable-threaded-resolver --disable-libcurl-option
  make -j"$jobs" -C lib
  make -C lib install
  make -C include install
  make install-pkgconfigDATA
}

# ---- the program ---------------------------------------------------------
program() {
  a=$1
  # the program's own build stays in this tree (the library cache is
  # shared by every clone on the machine; a CMake build dir is not)
  bdir=$top/build-static-$a
  mkdir -p "$bdir"
  pc=
  for p in openssl c-ares libpcap expat cjson curl; do
    pc=${pc:+$pc:}$(libprefix "$p")/lib/pkgconfig
  done
  libs=
  for p in openssl c-ares libpcap expat cjson curl; do
    libs="$libs $(libprefix "$p")"
  done
  cat >"$bdir/toolchain.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR $a)
set(CMAKE_C_COMPILER $CC)
set(CMAKE_AR $(command -v "$AR"))
set(CMAKE_RANLIB $(command -v "$RANLIB"))
set(CMAKE_FIND_ROOT_PATH $libs)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
EOF
  say "$a xacct-doctor: building"
  PKG_CONFIG_LIBDIR=$pc PKG_CONFIG_PATH='' PKG_CONFIG_SYSROOT_DIR='' \
    cmake -S "$top" -B "$bdir" -DCMAKE_TOOLCHAIN_FILE="$bdir/toolchain.cmake" \
      -DCMAKE_BUILD_TYPE=MinSizeRel -DXD_STATIC=ON -DXD_TESTS=OFF \
      -DXD_WERROR=ON >"$bdir/app-configure.log" 2>&1 ||
    { tail -30 "$bdir/app-configure.log" >&2; die "$a: cmake failed"; }
  cmake --build "$bdir" -j"$jobs" --target xacct-doctor >"$bdir/app-build.log" 2>&1 ||
    { grep -E 'error|warning' "$bdir/app-build.log" | head -30 >&2
      die "$a: build failed (log: $bdir/app-build.log)"; }
  out=$dist/xacct-doctor-linux-$a
  "$STRIP" -o "$out" "$bdir/xacct-doctor"
  check_static "$out"
  say "$a: $out ($(wc -c <"$out") bytes)"
}

# check_static FILE: one file, nothing for a loader to do.
check_static() {
  if readelf -lW "$1" | grep -q 'INTERP'; then die "$1 has an ELF interpreter"; fi
  if readelf -dW "$1" 2>/dev/null | grep -q 'NEEDED'; then die "$1 needs shared libraries"; fi
}

ensure_deb_src
t_all=$(date +%s)
for a in $arches; do
  t0=$(date +%s)
  toolchain "$a"
  for p in ${XD_STATIC_LIBS:-openssl c-ares libpcap expat cjson curl}; do
    lib "$a" "$p"
  done
  # XD_STATIC_LIBS="libpcap expat": build (and cache) only those libraries
  [ -z "${XD_STATIC_LIBS:-}" ] || continue
  program "$a"
  say "$a: done in $(( $(date +%s) - t0 )) s"
done
[ -z "${XD_STATIC_LIBS:-}" ] || exit 0
(cd "$dist" && sha256sum xacct-doctor-linux-* >SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS)
say "dist/SHA256SUMS written; total $(( $(date +%s) - t_all )) s"
