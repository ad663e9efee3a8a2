#include <stdio.h>
#include <string.h>

#include "help.h"

static const char usage[] =
"Usage: xacct-doctor [GLOBAL OPTIONS] COMMAND [OPTIONS]\n"
"\n"
"Finds which route, rule, option or role breaks the path from SageMaker\n"
"Studio in one AWS account to Amazon EMR clusters in others, and prints the\n"
"command that fixes it.\n"
"\n"
"Commands:\n"
"  check     the whole diagnosis from this side: intent, configuration (live\n"
"            or --snapshot DIR), probes, capture, analysis, report (default)\n"
"  analyze   offline: --snapshot DIR plus any --observations FILE\n"
"  probe     run DNS, TCP, TLS and HTTP probes and write observations\n"
"  listen    on the EMR side: capture what arrives from Studio, write\n"
"            observations\n"
"  fetch     read every account's configuration into a snapshot folder\n"
"  report    render a saved result (--in RESULT.json) in any format\n"
"  explain   print the catalogue entry of a finding code\n"
"\n"
"Global options (before or after the command):\n"
"  -h, --help             this help; COMMAND --help for a command's options\n"
"      --version          versions of xacct-doctor and its libraries\n"
"  -c, --config FILE      the intent file (xacct-doctor.json)\n"
"  -f, --format FMT       text (default), json, html, prometheus or junit\n"
"  -o, --output FILE      write the report to FILE atomically (not stdout)\n"
"  -q, --quiet            one line of summary (with Nagios perfdata)\n"
"  -v, --verbose          progress and details on stderr, every hop in text\n"
"      --no-color         no colour (also when NO_COLOR is set)\n"
"      --timeout SECONDS  a deadline for the whole run\n"
"      --region REGION    AWS Region (else AWS_REGION, AWS_DEFAULT_REGION,\n"
"                         the profile)\n"
"      --profile NAME     AWS profile (else AWS_PROFILE)\n"
"      --endpoint-url URL AWS endpoint override (also AWS_ENDPOINT_URL and\n"
"                         AWS_ENDPOINT_URL_<SERVICE>)\n"
"\n"
"Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad usage, unreadable\n"
"input, internal failure). A timeout or a name that does not resolve is a\n"
"finding (CRITICAL), not UNKNOWN.\n"
"\n"
"Examples:\n"
"  xacct-doctor analyze --snapshot examples/broken\n"
"  xacct-doctor --format html -o report.html check --snapshot DIR\n"
"  xacct-doctor probe --target ip-2-0-1-10.ec2.internal --port 8998,10000,8889\n"
"  xacct-doctor explain ROUTE_MISSING\n";

static const struct {
  const char *command;
  const char *text;
} command_help[] = {
  {"check",
   "Usage: xacct-doctor check [--snapshot DIR] [--config FILE] [probe options]\n"
   "\n"
   "Runs the whole diagnosis from the side it runs on: reads the intent, gets\n"
   "the configuration (live from AWS, or from --snapshot DIR), plans probes\n"
   "from it, probes and captures where permitted, analyzes and reports.\n"
   "\n"
   "  --snapshot DIR        use this snapshot folder instead of a live fetch\n"
   "  --account-profile ACCOUNT=PROFILE\n"
   "                        read ACCOUNT with this AWS profile in the live\n"
   "                        fetch (repeatable; see fetch --help)\n"
   "  --observations FILE   add the far side's observations (repeatable)\n"
   "  --no-probe            analyze the configuration only\n"
   "  --no-control-plane    do not probe the regional STS and EMR endpoints\n"
   "                        (probed by default on 443: DNS and its server,\n"
   "                        TCP, TLS against the CA bundle AWS calls use)\n"
   "  --studio-metadata FILE  the Studio app's metadata (default, inside\n"
   "                        Studio: /opt/ml/metadata/resource-metadata.json)\n"
   "                        gives the domain, space and account; no --config\n"
   "  --target HOST, --port LIST, --dns-server IP[:PORT], --timeout-ms N,\n"
   "  --identify-ms N, --concurrency N, --interface IF, --pcap-out FILE,\n"
   "  --no-capture\n"
   "                        as for probe; by default planned from the model\n"
   "  --history DIR         keep each run's result JSON in DIR\n"
   "  --history-keep N      keep at most N results there (default 100)\n"
   "  --lock FILE           refuse to run while another run holds FILE\n"},
  {"analyze",
   "Usage: xacct-doctor analyze --snapshot DIR [--observations FILE]...\n"
   "\n"
   "Offline diagnosis: the configuration in DIR (the AWS CLI output of each\n"
   "account, see docs/collect.sh) plus observation files written by probe or\n"
   "listen on either side. Sends no packet and calls no API.\n"
   "\n"
   "  --snapshot DIR        the snapshot folder (required)\n"
   "  --observations FILE   observations from probe/listen, or a result saved\n"
   "                        by check --format json (repeatable)\n"
   "  --config FILE         the intent (default: DIR/xacct-doctor.json)\n"},
  {"probe",
   "Usage: xacct-doctor probe --target HOST... [--port LIST] [options]\n"
   "       xacct-doctor probe --control-plane [--region REGION] [options]\n"
   "\n"
   "Resolves each target (A and AAAA), then probes every address on every\n"
   "port: TCP connect (nmap's state and reason words), TLS, HTTP service\n"
   "identification with phase timings. Writes observations.\n"
   "\n"
   "  --target HOST         a name or address (repeatable)\n"
   "  --control-plane       also (or only) probe sts.REGION.amazonaws.com and\n"
   "                        elasticmapreduce.REGION.amazonaws.com on 443: DNS\n"
   "                        and the server that answered, TCP, TLS verified\n"
   "                        against AWS_CA_BUNDLE / SSL_CERT_FILE / the system\n"
   "                        bundle; REGION from --region, AWS_REGION,\n"
   "                        AWS_DEFAULT_REGION or the --config intent. Entries\n"
   "                        carry \"role\": \"control-plane\"\n"
   "  --port LIST           e.g. 8998,10000,8889 or 1-1024 (default: those three)\n"
   "  --dns-server IP[:PORT] resolver to ask (default: the system's)\n"
   "  --timeout-ms N        per-probe timeout (default 5000)\n"
   "  --identify-ms N       once a port is open, time for TLS and HTTP to\n"
   "                        identify its service (default 1000, or the\n"
   "                        timeout when shorter)\n"
   "  --concurrency N       connections in flight at most (default 1024)\n"
   "  --side studio|emr     which side this host is (default studio)\n"
   "  --interface IF        capture on IF (default: the route's interface)\n"
   "  --pcap-out FILE       also write the captured packets as pcap\n"
   "  --no-capture          do not capture\n"},
  {"listen",
   "Usage: xacct-doctor listen [--port LIST] [--from CIDR]... [--duration S]\n"
   "\n"
   "On the EMR primary node (or any host of its subnet): captures what arrives\n"
   "from the Studio side on the given ports, and what this host sends back,\n"
   "for a while; writes the flows as observations. Needs permission to\n"
   "capture (root or CAP_NET_RAW); drops it once the capture is open.\n"
   "\n"
   "  --port LIST           ports to watch (default 8998,10000,8889)\n"
   "  --from CIDR           only flows from here (repeatable)\n"
   "  --duration SECONDS    how long to listen (default 60)\n"
   "  --interface IF        where to listen (default: any)\n"
   "  --pcap-out FILE       also write the packets as pcap\n"
   "  --read FILE           read packets from a pcap file instead\n"
   "  --max-flows N         track at most N flows (default 262144); packets\n"
   "                        of further flows are counted and reported dropped\n"
   "  --side studio|emr     which side captured, for the flows' \"where\"\n"
   "                        (default emr)\n"
   "  --format json|text    observations as JSON, or a table (default)\n"},
  {"fetch",
   "Usage: xacct-doctor fetch --out DIR [--config FILE] [--concurrency N]\n"
   "                          [--account-profile ACCOUNT=PROFILE]...\n"
   "\n"
   "Reads the configuration of every account in the intent (assuming the\n"
   "role of each EMR account as SageMakerStudioUser) and writes the snapshot\n"
   "folder, as the AWS CLI would print it. The folder appears only when\n"
   "complete. With only the Studio account's credentials, discovery finds\n"
   "the rest: the domain, the role file or the domain's AssumableRoleArns,\n"
   "each role, the clusters in WAITING or RUNNING.\n"
   "\n"
   "  --out DIR             where to write the snapshot: a new or empty\n"
   "                        folder, or a snapshot to merge into (one fetch\n"
   "                        per account, each with its own credentials)\n"
   "  --config FILE         the intent naming the accounts, roles, clusters\n"
   "  --account-profile ACCOUNT=PROFILE\n"
   "                        read ACCOUNT with the named AWS profile (e.g.\n"
   "                        SSO exported keys); repeatable; wins over the\n"
   "                        intent's emr[].profile and studio.profile\n"
   "  --concurrency N       AWS calls in flight at most (default 16; 1: one\n"
   "                        after another). The snapshot is the same.\n"
   "\n"
   "Calls that do not depend on each other (accounts, services, pages of\n"
   "different lists) are made side by side; throttling and 5xx answers are\n"
   "retried as the AWS SDKs' standard mode does (3 attempts, backoff with\n"
   "jitter, one retry quota for the run). On a terminal, a progress line\n"
   "counts the calls done.\n"
   "\n"
   "EMR calls go through the discovery role (emr[].role_arn), as Studio\n"
   "makes them; the network and IAM of an EMR account are read with its\n"
   "profile, else emr[].read_role_arn (docs/iam/xacct-doctor-read-policy.json\n"
   "is the policy it needs), else the discovery role. Refused calls are\n"
   "kept in DIR/fetch-errors.json; analyze reports them as findings.\n"
   "\n"
   "Exit 0 when every call succeeded, 1 when some failed (their files are\n"
   "absent, DIR/fetch-errors.json lists them), 3 on bad usage, missing or\n"
   "refused credentials, or an interrupt (then nothing is left behind).\n"},
  {"report",
   "Usage: xacct-doctor report --in RESULT.json [--format FMT] [--output FILE]\n"
   "\n"
   "Renders a result saved with --format json again, in any format.\n"},
  {"explain",
   "Usage: xacct-doctor explain [CODE]\n"
   "\n"
   "Prints what a finding code means, how it is detected and how to fix it;\n"
   "without CODE, lists every code.\n"},
};

const char *cli_usage_text(void)
{
  return usage;
}

const char *cli_command_help(const char *command)
{
  for(size_t i = 0; i < sizeof(command_help) / sizeof(command_help[0]); i++)
    if(command && !strcmp(command, command_help[i].command))
      return command_help[i].text;
  return NULL;
}
