#include <stdio.h>

#include <ares.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <expat.h>
#include <openssl/crypto.h>
#include <pcap/pcap.h>

#include "cli.h"
#include "xd_version.h"

/* Runtime versions, not the headers' ones: what the binary actually runs
 * with is what a support engineer needs to know. */
void cli_print_version(void)
{
  const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
  printf("xacct-doctor %s\n", XD_VERSION);
  printf("  libpcap   %s\n", pcap_lib_version());
  printf("  libcurl   %s (%s)\n", cv->version, cv->ssl_version ? cv->ssl_version : "no TLS");
  printf("  OpenSSL   %s\n", OpenSSL_version(OPENSSL_VERSION));
  printf("  c-ares    %s\n", ares_version(NULL));
  printf("  cJSON     %s\n", cJSON_Version());
  printf("  expat     %s\n", XML_ExpatVersion());
  printf("  resolver  %s\n", cv->ares ? "c-ares (libcurl and probes)"
                                       : "c-ares (probes), system (libcurl)");
#ifdef XD_STATIC_BUILD
  /* the release binaries of dist/: nothing is loaded at run time */
  printf("  build     static (musl libc, no shared libraries, no NSS)\n");
#else
  printf("  build     dynamic (shared libraries of this system)\n");
#endif
}
